"""Pieces of coaching shown on a member's own pages: their coach's comments beside an item,
and the practice's articles on a debrief's themes."""

from typing import Any

from django import template

from careertips.coaching.services.comments import comments_for_member_item
from careertips.coaching.services.practice import suggested_articles

register = template.Library()


@register.inclusion_tag("coaching/_comments.html", takes_context=True)
def coach_comments(context: Any, kind: str, object_id: int) -> dict[str, Any]:
    user = context["request"].user
    return {"comments": comments_for_member_item(user, kind, object_id)}


@register.inclusion_tag("coaching/_suggested_articles.html")
def practice_articles(debrief: Any) -> dict[str, Any]:
    themes = [theme.theme for theme in debrief.themes.all()]
    return {"articles": suggested_articles(themes)}
