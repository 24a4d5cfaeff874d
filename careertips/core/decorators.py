from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

type View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Any practice account (one holding a role); members get a 404 so staff pages do not
    announce themselves."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    """Holders of any of these roles only (core.roles); anyone else signed in gets a 404,
    an anonymous visitor the login page."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not any(user.has_role(role) for role in roles):  # type: ignore[union-attr]
                raise Http404("Not found.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
