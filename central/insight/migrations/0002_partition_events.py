"""On PostgreSQL the raw event table becomes partitioned by month (central/insight/partitions.py)."""

from typing import Any

from django.db import migrations


def partition(apps: Any, schema_editor: Any) -> None:
    from central.insight import partitions

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(partitions.PARTITIONED)
    partitions.ensure_around_now(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial")]
    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
