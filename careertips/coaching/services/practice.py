"""What employers say across the practice: debrief themes of the members who consent,
counted by month, by theme and by the role family and industry they set. Only aggregates
leave this module, and no cell counting fewer than K_ANONYMITY distinct members is shown:
no name, no employer, no contact, no free text."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from careertips.coaching.models import Industry, PracticeProfile, RoleFamily
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.newsletter.models import Article, Issue

K_ANONYMITY = 5
MONTHS = 12
SUGGESTED_ARTICLES = 3


@transaction.atomic
def set_practice_consent(
    *, member: User, consents: bool, role_family: str = "", industry: str = ""
) -> PracticeProfile:
    """Saying yes counts the member's debrief themes (never their words) from now on;
    withdrawing takes them out of every aggregate at once."""
    if role_family not in ["", *RoleFamily.values]:
        raise ValidationError({"role_family": "Choose one of the role families."})
    if industry not in ["", *Industry.values]:
        raise ValidationError({"industry": "Choose one of the industries."})
    profile, _ = PracticeProfile.objects.select_for_update().get_or_create(member=member)
    if consents and profile.consented_at is None:
        profile.consented_at = timezone.now()
    elif not consents:
        profile.consented_at = None
    profile.role_family, profile.industry = role_family, industry
    profile.save(update_fields=["consented_at", "role_family", "industry"])
    return profile


def practice_profile_of(member: User) -> PracticeProfile:
    return PracticeProfile.objects.filter(member=member).first() or PracticeProfile(member=member)


def _counted(since: dt.date) -> QuerySet[FeedbackTheme]:
    """Themes of consenting, active members' debriefs: the only rows any aggregate reads."""
    return FeedbackTheme.objects.filter(
        debrief__owner__practice_profile__consented_at__isnull=False,
        debrief__owner__is_active=True,
        debrief__created_at__date__gte=since,
    ).order_by()


def _members(rows: QuerySet, *keys: str) -> list[dict[str, Any]]:
    return list(rows.values(*keys).annotate(members=Count("debrief__owner", distinct=True)))


@dataclass(frozen=True)
class Cell:
    label: str
    members: int | None  # None: fewer than K_ANONYMITY members, so not shown


@dataclass
class ThemeFigures:
    theme: str
    label: str
    members: int | None
    share: int | None  # percent of the consenting members with any theme
    months: list[Cell] = field(default_factory=list)
    role_families: list[Cell] = field(default_factory=list)
    industries: list[Cell] = field(default_factory=list)


@dataclass
class PracticeOverview:
    since: dt.date
    members: int | None  # consenting members with a theme in the period
    themes: list[ThemeFigures]


def _shown(count: int) -> int | None:
    return count if count >= K_ANONYMITY else None


def _month_starts(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = [first]
    for _ in range(MONTHS - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _breakdown(rows: list[dict[str, Any]], key: str, choices: Any) -> dict[str, list[Cell]]:
    cells: dict[str, list[Cell]] = defaultdict(list)
    labels = dict(choices)
    for row in rows:
        if row[key] and _shown(row["members"]):
            cells[row["theme"]].append(Cell(str(labels[row[key]]), row["members"]))
    return cells


def practice_overview(*, today: dt.date | None = None) -> PracticeOverview:
    """Every figure of the practice insights page, with small cells already left out."""
    months = _month_starts(today or timezone.localdate())
    rows = _counted(months[0])
    everyone = rows.aggregate(n=Count("debrief__owner", distinct=True))["n"]
    by_theme = {row["theme"]: row["members"] for row in _members(rows, "theme")}
    by_month: dict[tuple[str, dt.date], int] = {}
    for row in _members(rows.annotate(month=TruncMonth("debrief__created_at")), "theme", "month"):
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        by_month[(row["theme"], month)] = row["members"]
    profile = "debrief__owner__practice_profile__"
    families = _breakdown(
        [
            {"theme": r["theme"], "family": r[f"{profile}role_family"], "members": r["members"]}
            for r in _members(rows, "theme", f"{profile}role_family")
        ],
        "family",
        RoleFamily.choices,
    )
    industries = _breakdown(
        [
            {"theme": r["theme"], "industry": r[f"{profile}industry"], "members": r["members"]}
            for r in _members(rows, "theme", f"{profile}industry")
        ],
        "industry",
        Industry.choices,
    )
    themes = []
    for value, label in Theme.choices:
        members = _shown(by_theme.get(value, 0))
        share = round(100 * members / everyone) if members and _shown(everyone) else None
        themes.append(
            ThemeFigures(
                theme=value,
                label=str(label),
                members=members,
                share=share,
                months=[Cell(f"{m:%b %Y}", _shown(by_month.get((value, m), 0))) for m in months],
                role_families=families.get(value, []),
                industries=industries.get(value, []),
            )
        )
    themes.sort(key=lambda figures: -(figures.members or 0))
    return PracticeOverview(since=months[0], members=_shown(everyone), themes=themes)


def theme_url(theme: str) -> str:
    return f"{settings.SITE_URL}{reverse('coaching:practice')}?theme={theme}#theme-{theme}"


def _draft_issue() -> Issue:
    from careertips.newsletter.services import next_issue_numbers

    draft = Issue.objects.filter(status=Issue.Status.DRAFT).order_by("-volume", "-number").first()
    if draft is not None:
        return draft
    volume, number, month = next_issue_numbers()
    return Issue.objects.create(volume=volume, number=number, month=month, title="Next issue")


def _draft_text(figures: ThemeFigures, overview: PracticeOverview) -> tuple[str, str]:
    label = figures.label.lower()
    share = f"{figures.share} in 100" if figures.share is not None else "Several"
    title = f"What employers mean by “{label}”"
    body = (
        f"{share} of our clients who debriefed a rejection since "
        f"{overview.since:%B %Y} heard “{label}” ({figures.members} clients).\n\n"
        + "".join(
            f"- {cell.label}: {cell.members} clients\n"
            for cell in figures.months
            if cell.members is not None
        )
        + f"\n_Figures from the practice insights: {theme_url(figures.theme)}_\n"
    )
    return title, body


@transaction.atomic
def start_newsletter_draft(*, theme: str, kind: str) -> Article:
    """A draft article (a feature or a Dear Career Tips letter) in the next draft issue,
    prefilled with the theme's aggregate figures, tagged with the theme."""
    from careertips.newsletter.services import add_article, set_article_themes

    if kind not in (Article.Kind.FEATURE, Article.Kind.LETTER):
        raise ValidationError("Choose a feature or a Dear Career Tips letter.")
    overview = practice_overview()
    figures = next((f for f in overview.themes if f.theme == theme), None)
    if figures is None or figures.members is None:
        raise ValidationError("Too few members heard this theme to write about it yet.")
    title, body = _draft_text(figures, overview)
    extra = (
        {
            "question": f"Dear Career Tips: I keep hearing “{figures.label.lower()}”. "
            "What does it mean?"
        }
        if kind == Article.Kind.LETTER
        else {}
    )
    article = add_article(issue=_draft_issue(), kind=kind, title=title, body=body, **extra)
    set_article_themes(article=article, themes=[theme])
    return article


def suggested_articles(themes: list[str]) -> list[Article]:
    """The practice's published articles on any of these themes, newest first."""
    themes = list(dict.fromkeys(themes))
    if not themes:
        return []
    return _ARTICLES_ON.instances(themes=themes)


# The query of suggested_articles, compiled once per process and number of themes
# (core.prepared): a debrief's page asks it on every view, and building it cost the ORM far
# more than running it.
_ARTICLES_ON = Prepared(
    lambda themes: (
        Article.objects.published()
        .filter(themes__theme__in=themes)
        .select_related("issue")
        .distinct()
        .order_by("-issue__published_at", "position")[:SUGGESTED_ARTICLES]
    ),
    themes=list[str],
)
