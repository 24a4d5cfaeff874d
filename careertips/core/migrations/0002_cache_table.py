from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Rate-limit counters live in the database cache; its table must exist before the first
    # login, so migrating is enough to get a working site.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
