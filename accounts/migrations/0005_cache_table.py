"""The database cache's table, for the embedded default (config/settings.py, CACHES): created
with the other tables so that a fresh machine's `migrate` is all it needs. With Redis as the
cache there is nothing to create."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_second_factor_failures")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
