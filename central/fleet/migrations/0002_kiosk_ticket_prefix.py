"""Each kiosk's offline ticket prefix, kept server-side; existing kiosks get K<id>."""

from typing import Any

import django.core.validators
from django.db import migrations, models


def _fill(apps: Any, schema_editor: Any) -> None:
    kiosk = apps.get_model("fleet", "Kiosk")
    for row in kiosk.objects.filter(ticket_prefix="", pk__lt=100000):
        kiosk.objects.filter(pk=row.pk).update(ticket_prefix=f"K{row.pk}")


class Migration(migrations.Migration):

    dependencies = [
        ('fleet', '0001_initial'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='kiosk',
            name='ticket_prefix',
            field=models.CharField(blank=True, help_text="Must match ticket_prefix in the kiosk's kiosk.toml (e.g. K3).", max_length=6, validators=[django.core.validators.RegexValidator('^[A-Z][A-Z0-9]{0,5}$', 'A capital letter, then up to 5 capital letters or digits.')], verbose_name='offline ticket prefix'),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='kiosk',
            constraint=models.UniqueConstraint(condition=models.Q(('ticket_prefix', ''), _negated=True), fields=('county', 'ticket_prefix'), name='ticket_prefix_per_county'),
        ),
    ]
