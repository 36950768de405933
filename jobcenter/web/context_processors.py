from typing import Any

from django.http import HttpRequest

from jobcenter.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"menu": menu_for(user), "current_view": current}
