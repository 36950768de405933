from django.db import migrations

from jobcenter.audit.append_only import protect_table


class Migration(migrations.Migration):
    """Decisions and income reports are history: the database refuses UPDATE and DELETE."""

    dependencies = [("benefits", "0003_recalculation_resolved_by_payment")]

    operations = [protect_table("benefits_decision"), protect_table("benefits_incomereport")]
