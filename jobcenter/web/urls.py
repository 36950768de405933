from django.urls import path

from jobcenter.events import views as event_views
from jobcenter.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    path("drift/", views.operations, name="operations"),
    path("drift/doede-breve/<int:delivery_id>/igen/", event_views.retry_dead_letter, name="operations-retry"),
    path(
        "drift/baggrundsopgaver/<int:job_id>/igen/",
        event_views.rerun_background_task,
        name="operations-rerun-task",
    ),
    path("oidc/authenticate/", views.oidc_authenticate, name="oidc-authenticate"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
