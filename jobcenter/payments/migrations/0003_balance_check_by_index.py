from django.db import migrations

from jobcenter.payments.ledger import replace_balance_function


class Migration(migrations.Migration):
    """The ledger's balance check looks up each touched transaction by index instead of scanning."""

    dependencies = [("payments", "0002_append_only_and_balanced")]

    operations = [migrations.RunPython(replace_balance_function, migrations.RunPython.noop, elidable=False)]
