from django.urls import path

from jobcenter.citizens import views

app_name = "citizens"

urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:citizen_id>/", views.detail, name="detail"),
]
