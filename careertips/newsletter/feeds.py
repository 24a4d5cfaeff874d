"""RSS and Atom feeds of the archive: one item per published article, newest issue first."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed

from careertips.newsletter.models import Article

FEED_SIZE = 40


class ArticlesFeed(Feed):
    title = "Career Tips"
    link = "/newsletter/"
    description = (
        "The monthly Career Tips newsletter and its advice column, Dear Career Tips: "
        "land the job, at the pay you deserve."
    )

    def items(self) -> QuerySet:
        return Article.objects.published().order_by(
            "-issue__published_at", "-issue__volume", "-issue__number", "position", "id"
        )[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Rendered through the sanitiser: readers' script never reaches a feed reader.
        return render_to_string("newsletter/_article_body.html", {"article": item})

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.issue.published_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.get_kind_display()]

    def item_author_name(self, item: Article) -> str:
        return "Career Tips"


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
