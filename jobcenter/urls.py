from django.urls import include, path
from django.views.i18n import set_language

from jobcenter.api import api

urlpatterns = [
    path("", include("jobcenter.web.urls")),
    path("borgere/", include("jobcenter.citizens.urls")),
    path("ydelser/", include("jobcenter.benefits.urls")),
    path("", include("jobcenter.cases.urls")),
    path("breve/", include("jobcenter.letters.urls")),
    path("udbetalinger/", include("jobcenter.payments.urls")),
    path("revisionsspor/", include("jobcenter.audit.urls")),
    path("admin/", include("jobcenter.tenancy.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]

handler400 = "jobcenter.web.views.bad_request"
handler403 = "jobcenter.web.views.forbidden"
handler404 = "jobcenter.web.views.not_found"
handler500 = "jobcenter.web.views.server_error"
