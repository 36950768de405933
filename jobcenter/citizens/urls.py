from django.urls import path

from jobcenter.citizens import views

app_name = "citizens"

urlpatterns = [
    path("", views.search, name="search"),
    path("ny/", views.register, name="register"),
    path("<uuid:citizen_id>/", views.detail, name="detail"),
    path("<uuid:citizen_id>/opdater-fra-cpr/", views.refresh, name="refresh"),
    path("<uuid:citizen_id>/cpr-nummer/", views.show_cpr, name="show-cpr"),
]
