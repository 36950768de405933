from django.db import migrations

from jobcenter.audit.append_only import protect_table


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE on letters and their delivery history."""

    dependencies = [("letters", "0001_initial"), ("audit", "0002_append_only")]

    operations = [protect_table("letters_letter"), protect_table("letters_letterdelivery")]
