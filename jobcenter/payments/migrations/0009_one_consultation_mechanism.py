"""A claim's partshøring becomes a benefits.Consultation (one mechanism for decisions and claims).

Every claim's recorded partshøring is copied to a Consultation on the claim's grant (kind
"tilbagebetaling"), with its subject, dates and reply; its creator is the user the audit log
recorded for it, when there is one. Then the claim's own consultation columns go. On SQLite,
dropping the check constraint rebuilds the table, which drops the "decided once" trigger: it is
installed again. Reversible: the columns come back filled from the Consultation. The columns go in 0010: PostgreSQL
refuses to ALTER a table with pending trigger events from this migration's updates.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_to_consultations(apps, schema_editor):
    Claim = apps.get_model("payments", "Claim")
    Consultation = apps.get_model("benefits", "Consultation")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for claim in Claim.objects.filter(consultation_sent_on__isnull=False).order_by("created_at"):
        sent = (
            AuditEntry.objects.filter(object_type="payments.claim", object_id=str(claim.pk), detail__consultation="sent")
            .order_by("id")
            .first()
        )
        consultation = Consultation.objects.create(
            grant_id=claim.grant_id,
            intended_kind="tilbagebetaling",
            subject=claim.consultation_subject or "Tilbagebetalingskrav",
            sent_on=claim.consultation_sent_on,
            deadline=claim.consultation_deadline or claim.consultation_sent_on,
            reply_received_on=claim.consultation_reply_on,
            reply_summary=claim.consultation_reply,
            created_by_id=sent.user_id if sent is not None else None,
        )
        # An UPDATE of the consultation column only; the trigger allows it in every status.
        Claim.objects.filter(pk=claim.pk).update(consultation=consultation)


def copy_back(apps, schema_editor):
    Claim = apps.get_model("payments", "Claim")
    for claim in Claim.objects.filter(consultation__isnull=False).select_related("consultation"):
        consultation = claim.consultation
        Claim.objects.filter(pk=claim.pk).update(
            consultation_subject=consultation.subject,
            consultation_sent_on=consultation.sent_on,
            consultation_deadline=consultation.deadline,
            consultation_reply_on=consultation.reply_received_on,
            consultation_reply=consultation.reply_summary,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("benefits", "0006_one_consultation_mechanism"),
        ("payments", "0008_payment_references_checked_per_statement"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="consultation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="benefits.consultation",
            ),
        ),
        migrations.RunPython(copy_to_consultations, copy_back, elidable=False),
    ]
