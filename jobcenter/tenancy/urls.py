from django.urls import path

from jobcenter.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("brugere/", views.users, name="users"),
    path("brugere/ny/", views.user_create, name="user-create"),
    path("brugere/<uuid:user_id>/", views.user_detail, name="user"),
    path("brugere/<uuid:user_id>/rolle/", views.user_role, name="user-role"),
    path("brugere/<uuid:user_id>/deaktiver/", views.user_active, {"active": False}, name="user-deactivate"),
    path("brugere/<uuid:user_id>/genaktiver/", views.user_active, {"active": True}, name="user-reactivate"),
    path("brugere/<uuid:user_id>/noegler/", views.token_issue, name="token-issue"),
    path("noegler/<uuid:token_id>/tilbagekald/", views.token_revoke, name="token-revoke"),
    path("anmodninger/<uuid:request_id>/godkend/", views.request_decide, {"approve": True}, name="request-approve"),
    path("anmodninger/<uuid:request_id>/afvis/", views.request_decide, {"approve": False}, name="request-reject"),
    path("kommuner/", views.municipalities, name="municipalities"),
]
