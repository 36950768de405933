from django.urls import path

from jobcenter.benefits import views

app_name = "benefits"

urlpatterns = [
    path("beregning/", views.calculate_page, name="calculate"),
    path("satser/", views.rate_tables, name="rate-tables"),
    path("satser/<uuid:import_id>/", views.rate_table_detail, name="rate-table"),
    path(
        "satser/<uuid:import_id>/godkend/", views.rate_table_decide, {"decision": "godkend"}, name="rate-table-approve"
    ),
    path("satser/<uuid:import_id>/afvis/", views.rate_table_decide, {"decision": "afvis"}, name="rate-table-reject"),
]
