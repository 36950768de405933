from django.urls import path

from jobcenter.letters import views

app_name = "letters"

urlpatterns = [
    path("papirpost/", views.paper_queue_page, name="paper-queue"),
    path("borger/<uuid:citizen_id>/", views.citizen_letters, name="citizen"),
    path("<uuid:letter_id>/", views.detail, name="detail"),
    path("<uuid:letter_id>/pdf/", views.pdf, name="pdf"),
    path("<uuid:letter_id>/udskrevet/", views.mark_printed, name="mark-printed"),
]
