from django.urls import path

from jobcenter.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("brugere/", views.users, name="users"),
    path("kommuner/", views.municipalities, name="municipalities"),
]
