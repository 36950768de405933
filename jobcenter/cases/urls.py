from django.urls import path

from jobcenter.cases import views

app_name = "cases"

urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("teamoverblik/", views.team_overview, name="team-overview"),
    path("teamoverblik/tildel/", views.assign_cases, name="assign"),
    path("borgere/<uuid:citizen_id>/sag/ny/", views.open_case, name="open"),
    path("borgere/<uuid:citizen_id>/plan/", views.plan, name="plan"),
    path("sager/<uuid:case_id>/", views.detail, name="detail"),
    path("sager/<uuid:case_id>/luk/", views.close_case, name="close"),
    path("sager/<uuid:case_id>/genaabn/", views.reopen_case, name="reopen"),
    path("sager/<uuid:case_id>/journal/ny/", views.journal_add, name="journal-add"),
    path("sager/<uuid:case_id>/journal/kladde/", views.journal_draft, name="journal-draft"),
    path("journal/<uuid:entry_id>/ret/", views.journal_correct, name="journal-correct"),
    path("journal/<uuid:entry_id>/ret/kladde/", views.correction_draft, name="correction-draft"),
    path("bilag/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path("sager/<uuid:case_id>/samtaler/ny/", views.interview_plan, name="interview-plan"),
    path("samtaler/<uuid:interview_id>/", views.interview_detail, name="interview-detail"),
    path("samtaler/<uuid:interview_id>/indkald/", views.interview_summons, name="interview-summons"),
    path("samtaler/<uuid:interview_id>/indkald/udkast/", views.summons_preview, name="summons-preview"),
    path("samtaler/<uuid:interview_id>/udfald/", views.interview_outcome, name="interview-outcome"),
    path("samtaler/<uuid:interview_id>/udfald/kladde/", views.outcome_draft, name="outcome-draft"),
    path("sager/<uuid:case_id>/tilbud/ny/", views.offer_add, name="offer-add"),
    path("tilbud/<uuid:offer_id>/status/", views.offer_status, name="offer-status"),
]
