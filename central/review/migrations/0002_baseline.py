"""Content already in the database when review arrives counts as approved (a baseline by the
system, dated from each flow's `reviewed:`), so an upgrade does not block publishing."""

import datetime as dt
import hashlib

import yaml
from django.db import migrations
from django.utils import timezone


def _reviewed(text):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    value = data.get("reviewed") if isinstance(data, dict) else None
    return value if isinstance(value, dt.date) else None


def baseline(apps, schema_editor):
    Flow = apps.get_model("publishing", "Flow")
    PackFile = apps.get_model("publishing", "PackFile")
    Decision = apps.get_model("review", "Decision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    rows = [(f"flows/{f.flow_id}.yaml", f, "flow") for f in Flow.objects.all()]
    rows += [(p.path, p, "packfile") for p in PackFile.objects.all()]
    for path, obj, model in rows:
        ct = ContentType.objects.filter(app_label="publishing", model=model).first()
        newest = Version.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("-pk").first() \
            if ct else None
        day = _reviewed(obj.text) if model == "flow" else None
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else timezone.now()
        Decision.objects.create(path=path, decision="approved", text=obj.text,
                                text_hash=hashlib.sha256(obj.text.encode()).hexdigest(),
                                version_id=newest.pk if newest else None, system="existing", decided_at=when)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("publishing", "0002_pack_files"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
