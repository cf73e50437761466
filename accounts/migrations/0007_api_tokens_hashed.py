"""API tokens move to django-rest-knox, which keeps only their hash. The old tokens were stored
in clear (a superuser saw every key in the admin) and never expired: they are dropped, and their
holders get new ones against their password (and code)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_audit_purpose_retention"), ("knox", "0009_extend_authtoken_field")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop)]
