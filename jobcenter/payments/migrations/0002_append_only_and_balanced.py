from django.db import migrations

from jobcenter.audit.append_only import protect_table
from jobcenter.payments.ledger import install_balance_check


class Migration(migrations.Migration):
    """Payments and the ledger are append-only; on PostgreSQL the database also
    refuses a ledger transaction whose entries do not sum to zero."""

    dependencies = [("payments", "0001_initial")]

    operations = [
        protect_table("payments_payment"),
        protect_table("payments_paymentcorrection"),
        protect_table("payments_ledgertransaction"),
        protect_table("payments_ledgerentry"),
        migrations.RunPython(install_balance_check, migrations.RunPython.noop, elidable=False),
    ]
