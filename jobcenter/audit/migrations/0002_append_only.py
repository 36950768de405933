from django.db import migrations

from jobcenter.audit.append_only import protect_table


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE on the audit log (and TRUNCATE on PostgreSQL)."""

    dependencies = [("audit", "0001_initial")]

    operations = [protect_table("audit_auditentry")]
