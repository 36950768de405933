"""A summons is a letter: it links to its `letters.Letter`, and its delivery is that letter's history.

The summons's own delivery fields (status, attempts, message_id, delivered_at,
last_error) go: the letter's delivery history is the one place that says
whether it was sent, is waiting for Digital Post, or went to paper post.

Existing rows: none in production — Jobcenter is pre-release and has never
sent a summons for real. A summons made before this migration has no letter
(no PDF was ever made, so there is nothing to link to, and a migration cannot
honestly invent the letter the citizen got). Rather than leave such rows
half-described, the migration stops with a message if it finds any; a local
demo database with hand-sent summonses is recreated with `make demo`.
"""

import django.db.models.deletion
from django.db import migrations, models


def refuse_existing_summonses(apps, schema_editor):
    Summons = apps.get_model("cases", "Summons")
    count = Summons.objects.count()
    if count:
        raise RuntimeError(
            f"{count} summonses were sent before summonses became letters; they have no letter to link to. "
            "This is pre-release software with no production data: recreate the database (make demo)."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_append_only"),
        ("letters", "0002_append_only"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_summonses, migrations.RunPython.noop),
        migrations.RemoveField(model_name="summons", name="attempts"),
        migrations.RemoveField(model_name="summons", name="delivered_at"),
        migrations.RemoveField(model_name="summons", name="last_error"),
        migrations.RemoveField(model_name="summons", name="message_id"),
        migrations.RemoveField(model_name="summons", name="status"),
        migrations.AddField(
            model_name="summons",
            name="letter",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="summons",
                to="letters.letter",
                # No default is needed: the table is empty (checked above).
                null=False,
                default=None,
            ),
            preserve_default=False,
        ),
    ]
