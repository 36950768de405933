from django.urls import path

from jobcenter.benefits import grant_views, inbox_views, views

app_name = "benefits"

urlpatterns = [
    path("beregning/", views.calculate_page, name="calculate"),
    path("satser/", views.rate_tables, name="rate-tables"),
    path("satser/<uuid:import_id>/", views.rate_table_detail, name="rate-table"),
    path(
        "satser/<uuid:import_id>/godkend/", views.rate_table_decide, {"decision": "godkend"}, name="rate-table-approve"
    ),
    path("satser/<uuid:import_id>/afvis/", views.rate_table_decide, {"decision": "afvis"}, name="rate-table-reject"),
    path("bevillinger/", grant_views.grants, name="grants"),
    path("bevillinger/<uuid:grant_id>/", grant_views.grant_detail, name="grant"),
    path("bevillinger/<uuid:grant_id>/partshoering/", grant_views.consultation_start, name="consultation-start"),
    path(
        "bevillinger/<uuid:grant_id>/partshoering/<uuid:consultation_id>/svar/",
        grant_views.consultation_reply,
        name="consultation-reply",
    ),
    path("borgere/<uuid:citizen_id>/afgoerelse/", grant_views.decide, name="decide"),
    path("indbakke/", inbox_views.inbox, name="inbox"),
    path("indbakke/<uuid:proposal_id>/", inbox_views.proposal_detail, name="proposal"),
    path("indbakke/<uuid:proposal_id>/brev/", inbox_views.proposal_letter, name="proposal-letter"),
    path("indbakke/<uuid:proposal_id>/accepter/", inbox_views.proposal_accept, name="proposal-accept"),
    path("indbakke/<uuid:proposal_id>/afvis/", inbox_views.proposal_reject, name="proposal-reject"),
    path("indbakke/<uuid:proposal_id>/partshoering/", inbox_views.proposal_consultation, name="proposal-consultation"),
]
