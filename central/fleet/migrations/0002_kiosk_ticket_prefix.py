"""Each kiosk's offline ticket prefix, kept server-side; existing kiosks get K<id>."""

import re
from collections import Counter
from typing import Any

import django.core.validators
from django.db import migrations, models


def _fill(apps: Any, schema_editor: Any) -> None:
    """The prefix a kiosk already used for its offline tickets (as its kiosk.toml says), so
    upgrading does not refuse its next reports; else K<id>."""
    kiosk = apps.get_model("fleet", "Kiosk")
    ticket = apps.get_model("queueing", "Ticket")
    taken: set[tuple[int, str]] = set()
    for row in kiosk.objects.filter(ticket_prefix="").order_by("pk"):
        used = Counter(re.sub(r"-\d{3}$", "", n) for n in ticket.objects.filter(
            kiosk_id=row.pk, provisional=True).values_list("number", flat=True)
            if re.fullmatch(r"[A-Z][A-Z0-9]{0,5}-\d{3}", n))
        choices = [p for p, _n in used.most_common()] + ([f"K{row.pk}"] if row.pk < 100000 else [])
        prefix = next((p for p in choices if (row.county_id, p) not in taken), "")
        if prefix:
            taken.add((row.county_id, prefix))
            kiosk.objects.filter(pk=row.pk).update(ticket_prefix=prefix)


class Migration(migrations.Migration):

    dependencies = [
        ('fleet', '0001_initial'),
        ('org', '0001_initial'),
        ('queueing', '0001_initial'),
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
