from django.urls import path

from jobcenter.payments import claim_views, views

app_name = "payments"

urlpatterns = [
    path("koersler/", views.runs, name="runs"),
    path("koersler/ny/", views.run_start, name="run-start"),
    path("koersler/<uuid:run_id>/", views.run_detail, name="run"),
    path("koersler/<uuid:run_id>/fremdrift/", views.run_progress, name="run-progress"),
    path("koersler/<uuid:run_id>/godkend/", views.run_approve, name="run-approve"),
    path("koersler/<uuid:run_id>/udbetal/", views.run_release, name="run-release"),
    path("borgere/<uuid:citizen_id>/kontoudtog/", views.statement, name="statement"),
    path("krav/", claim_views.claims, name="claims"),
    path("krav/<uuid:claim_id>/", claim_views.claim_detail, name="claim"),
    path("krav/<uuid:claim_id>/partshoering/", claim_views.claim_consultation, name="claim-consultation"),
    path("krav/<uuid:claim_id>/partshoering/svar/", claim_views.claim_consultation_reply, name="claim-reply"),
    path("krav/<uuid:claim_id>/afgoer/", claim_views.claim_decide, name="claim-decide"),
    path("krav/<uuid:claim_id>/eftergiv/", claim_views.claim_waive, name="claim-waive"),
]
