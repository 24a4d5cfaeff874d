from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _navigation_pages() -> list:
    from careertips.pages.models import Page

    return list(
        Page.objects.filter(in_navigation=True, published=True).only("slug", "title", "nav_order")
    )


def public_site(request: HttpRequest) -> dict:
    """The public pages for the site menu; queried only when a template shows them."""
    return {"public_nav": SimpleLazyObject(_navigation_pages)}
