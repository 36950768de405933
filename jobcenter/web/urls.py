from django.urls import path

from jobcenter.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    path("drift/", views.operations, name="operations"),
    path("oidc/authenticate/", views.oidc_authenticate, name="oidc-authenticate"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
