# Which payment settled a month marked for recalculation moves from benefits
# (RecalculationMark.resolved_by) to payments; the existing resolutions are copied
# before benefits 0006 drops the old field.

import django.db.models.deletion
from django.db import migrations, models


def copy_resolutions(apps, schema_editor):
    mark = apps.get_model("benefits", "RecalculationMark")
    resolution = apps.get_model("payments", "RecalculationResolution")
    rows = mark.objects.filter(resolved_by__isnull=False).values_list("id", "resolved_by_id")
    batch = []
    for mark_id, payment_id in rows.iterator(chunk_size=10_000):
        batch.append(resolution(mark_id=mark_id, payment_id=payment_id))
        if len(batch) == 10_000:
            resolution.objects.bulk_create(batch)
            batch = []
    resolution.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    mark = apps.get_model("benefits", "RecalculationMark")
    resolution = apps.get_model("payments", "RecalculationResolution")
    for mark_id, payment_id in resolution.objects.values_list("mark_id", "payment_id").iterator(chunk_size=10_000):
        mark.objects.filter(pk=mark_id).update(resolved_by_id=payment_id)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0006_one_consultation_mechanism"),
        ("payments", "0011_line_segments_and_stored_breakdowns"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecalculationResolution",
            fields=[
                (
                    "mark",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="resolution",
                        serialize=False,
                        to="benefits.recalculationmark",
                    ),
                ),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resolved_marks",
                        to="payments.payment",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_resolutions, copy_back),
    ]
