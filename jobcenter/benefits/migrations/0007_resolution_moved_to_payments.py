# The payment that settled a recalculation is now kept by the payments app
# (payments.RecalculationResolution, filled from this field by payments 0010).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0006_one_consultation_mechanism"),
        ("payments", "0012_recalculation_resolution"),
    ]

    operations = [
        migrations.RemoveField(model_name="recalculationmark", name="resolved_by"),
    ]
