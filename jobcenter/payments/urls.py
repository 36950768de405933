from django.urls import path

from jobcenter.payments import views

app_name = "payments"

urlpatterns = [
    path("koersler/", views.runs, name="runs"),
    path("koersler/ny/", views.run_start, name="run-start"),
    path("koersler/<uuid:run_id>/", views.run_detail, name="run"),
    path("koersler/<uuid:run_id>/fremdrift/", views.run_progress, name="run-progress"),
    path("koersler/<uuid:run_id>/godkend/", views.run_approve, name="run-approve"),
    path("koersler/<uuid:run_id>/udbetal/", views.run_release, name="run-release"),
    path("borgere/<uuid:citizen_id>/kontoudtog/", views.statement, name="statement"),
]
