"""The claim's own consultation columns go (copied to benefits.Consultation by 0009).

On SQLite, dropping the check constraint rebuilds the table, which drops the "decided once"
trigger: it is installed again.
"""

from django.db import migrations

from jobcenter.payments.claims import install_decided_once_trigger


def reinstall_trigger_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps the trigger through ALTER TABLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS payments_claim_decided_once")
    install_decided_once_trigger(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("payments", "0009_one_consultation_mechanism")]

    operations = [
        # Runs last when migrating back, after the columns have come back.
        migrations.RunPython(migrations.RunPython.noop, reinstall_trigger_on_sqlite, elidable=False),
        migrations.RemoveConstraint(model_name="claim", name="claim_consultation_deadline"),
        migrations.RemoveField(model_name="claim", name="consultation_deadline"),
        migrations.RemoveField(model_name="claim", name="consultation_reply"),
        migrations.RemoveField(model_name="claim", name="consultation_reply_on"),
        migrations.RemoveField(model_name="claim", name="consultation_sent_on"),
        migrations.RemoveField(model_name="claim", name="consultation_subject"),
        migrations.RunPython(reinstall_trigger_on_sqlite, migrations.RunPython.noop, elidable=False),
    ]
