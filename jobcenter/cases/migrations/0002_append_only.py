from django.db import migrations

from jobcenter.audit.append_only import protect_table


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE on the journal, its attachments and the plan."""

    dependencies = [("cases", "0001_initial")]

    operations = [
        protect_table("cases_journalentry"),
        protect_table("cases_journalattachment"),
        protect_table("cases_planversion"),
    ]
