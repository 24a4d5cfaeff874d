"""The health checks load balancers, the operator and `careertips doctor` poll."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from careertips.core.health import health_problem
from careertips.core.http import client_ip


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 "ok" when the database answers and the task worker
    has beaten recently (or never: a web-only setup); 503 with the reason otherwise."""
    problem = health_problem()
    if problem:
        return HttpResponse(problem, content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def healthz_proxy(request: HttpRequest) -> JsonResponse:
    """What the app sees of this request through the proxy: the requester's own address and
    scheme, so an operator (and `careertips doctor`) can tell the forwarded headers arrive."""
    return JsonResponse(
        {
            "client_ip": client_ip(request),
            "scheme": request.scheme,
            "host": request.get_host(),
            "forwarded_for": "HTTP_X_FORWARDED_FOR" in request.META,
            "forwarded_proto": "HTTP_X_FORWARDED_PROTO" in request.META,
        }
    )
