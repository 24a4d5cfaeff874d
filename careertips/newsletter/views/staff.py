"""The newsletter's staff area: issues and articles, the question queue, subscribers."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from careertips.core.decorators import role_required
from careertips.core.http import HtmxRequest, paginate, search_text, swaps
from careertips.core.markdown import markdown_previews
from careertips.core.roles import Role
from careertips.newsletter import services, subscriber_csv
from careertips.newsletter.forms import (
    AnswerForm,
    ArticleForm,
    AttachForm,
    ImportConfirmForm,
    ImportForm,
    IssueForm,
)
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber

# Issues ------------------------------------------------------------------------------------


@role_required(Role.EDITOR)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    issues = Issue.objects.annotate(article_count=Count("articles")).order_by("-volume", "-number")
    page_obj = paginate(request, issues, 30)
    context = {
        "page_obj": page_obj,
        "new_questions": ReaderQuestion.objects.filter(status=ReaderQuestion.Status.NEW).count(),
        "subscriber_counts": services.subscriber_counts(),
    }
    return render(request, "newsletter/staff/home.html", context)


@role_required(Role.EDITOR)
def issue_new(request: HttpRequest) -> HttpResponse:
    volume, number, month = services.next_issue_numbers()
    form = IssueForm(
        request.POST or None, initial={"volume": volume, "number": number, "month": month}
    )
    previews = markdown_previews(request, form, ["introduction"])
    if request.method == "POST" and not previews and form.is_valid():
        issue = form.save()
        messages.success(request, f"{issue.label} created. Add its articles next.")
        return redirect("newsletter:staff-issue", pk=issue.pk)
    return render(request, "newsletter/staff/issue_new.html", {"form": form, "previews": previews})


def _issue_context(issue: Issue, form: IssueForm, previews: dict) -> dict:
    return {
        "issue": issue,
        "form": form,
        "previews": previews,
        "articles": issue.articles.select_related("reader_question").order_by("position", "id"),
        "answered_waiting": ReaderQuestion.objects.filter(
            status=ReaderQuestion.Status.ANSWERED, consent_to_publish=True, article__isnull=True
        ).count(),
    }


@role_required(Role.EDITOR)
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    form = IssueForm(request.POST or None, instance=issue)
    previews = markdown_previews(request, form, ["introduction"])
    if request.method == "POST" and not previews:
        if not issue.is_editable:
            messages.error(request, "This issue is being sent; it cannot change now.")
            return redirect("newsletter:staff-issue", pk=issue.pk)
        if form.is_valid():
            form.save()
            messages.success(request, "Issue saved.")
            return redirect("newsletter:staff-issue", pk=issue.pk)
    return render(request, "newsletter/staff/issue.html", _issue_context(issue, form, previews))


@role_required(Role.EDITOR)
@require_POST
def issue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    if issue.status != Issue.Status.DRAFT:
        messages.error(request, "Only drafts can be deleted; sent issues stay in the archive.")
        return redirect("newsletter:staff-issue", pk=issue.pk)
    for article in issue.articles.filter(reader_question__isnull=False):
        services.delete_article(article=article)
    issue.delete()
    messages.success(request, f"{issue.label} deleted.")
    return redirect("newsletter:staff")


@role_required(Role.EDITOR)
@require_GET
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue exactly as readers will see it in the archive, before it is published."""
    issue = services.get_issue_for(request.user, pk)
    articles = issue.articles.order_by("position", "id")
    context = {"issue": issue, "articles": articles, "preview": True}
    return render(request, "newsletter/issue.html", context)


# Articles ----------------------------------------------------------------------------------


@role_required(Role.EDITOR)
def article_new(request: HttpRequest, pk: int) -> HttpResponse:
    issue = services.get_issue_for(request.user, pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or Article.Kind.FEATURE
    if kind not in Article.Kind.values:
        kind = Article.Kind.FEATURE
    form = ArticleForm(request.POST or None, kind=kind)
    previews = markdown_previews(request, form, ["question", "body"])
    if request.method == "POST" and not previews and issue.is_editable and form.is_valid():
        fields = dict(form.cleaned_data)
        themes = fields.pop("themes", [])
        article = services.add_article(issue=issue, kind=kind, **fields)
        services.set_article_themes(article=article, themes=themes)
        messages.success(request, "Article added.")
        return redirect("newsletter:staff-issue", pk=issue.pk)
    context = {
        "issue": issue,
        "form": form,
        "kind": kind,
        "previews": previews,
        "kind_label": Article.Kind(kind).label,
    }
    return render(request, "newsletter/staff/article_form.html", context)


@role_required(Role.EDITOR)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = services.get_article_for(request.user, pk)
    form = ArticleForm(request.POST or None, instance=article, kind=article.kind)
    previews = markdown_previews(request, form, ["question", "body"])
    if request.method == "POST" and not previews and article.issue.is_editable and form.is_valid():
        form.save()
        services.set_article_themes(article=article, themes=form.cleaned_data["themes"])
        messages.success(request, "Article saved.")
        return redirect("newsletter:staff-issue", pk=article.issue_id)
    context = {
        "issue": article.issue,
        "article": article,
        "form": form,
        "kind": article.kind,
        "previews": previews,
        "kind_label": article.get_kind_display(),
    }
    return render(request, "newsletter/staff/article_form.html", context)


@role_required(Role.EDITOR)
@require_POST
def article_move(request: HtmxRequest, pk: int) -> HttpResponse:
    article = services.get_article_for(request.user, pk)
    services.move_article(article=article, direction=request.POST.get("direction", ""))
    if request.htmx:
        issue = article.issue
        context = {"issue": issue, "articles": issue.articles.order_by("position", "id")}
        return render(request, "newsletter/staff/issue.html#articles", context)
    return redirect("newsletter:staff-issue", pk=article.issue_id)


@role_required(Role.EDITOR)
@require_POST
def article_delete(request: HttpRequest, pk: int) -> HttpResponse:
    article = services.get_article_for(request.user, pk)
    if (
        article.issue.status != Issue.Status.DRAFT
        and article.issue.status != Issue.Status.SCHEDULED
    ):
        messages.error(request, "Articles of a sent issue stay in the archive.")
    else:
        services.delete_article(article=article)
        messages.success(request, f"“{article.title}” removed.")
    return redirect("newsletter:staff-issue", pk=article.issue_id)


# The question queue ------------------------------------------------------------------------

QUESTION_FILTERS = ["new", "answered", "published", "declined", "all"]


@role_required(Role.EDITOR)
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "new")
    if status not in QUESTION_FILTERS:
        status = "new"
    rows = ReaderQuestion.objects.select_related("article__issue").defer("answer")
    if status != "all":
        rows = rows.filter(status=status)
    counts = ReaderQuestion.objects.aggregate(
        **{name: Count("id", filter=Q(status=name)) for name in QUESTION_FILTERS[:-1]}
    )
    page_obj = paginate(request, rows, 50)
    context = {
        "page_obj": page_obj,
        "status": status,
        "counts": counts,
        "filters": QUESTION_FILTERS,
    }
    return render(request, "newsletter/staff/questions.html", context)


def _question_context(question: ReaderQuestion, form: AnswerForm, attach: AttachForm, **extra):
    article = getattr(question, "article", None)
    return {
        "question": question,
        "form": form,
        "attach_form": attach,
        "article": article,
        "can_attach": question.consent_to_publish
        and article is None
        and bool(question.answer.strip()),
        **extra,
    }


@role_required(Role.EDITOR)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = services.get_question_for(request.user, pk)
    form = AnswerForm(request.POST or None, instance=question)
    previews = markdown_previews(request, form, ["answer"])
    if request.method == "POST" and not previews and form.is_valid():
        services.save_answer(question=question, **form.cleaned_data)
        messages.success(request, "Answer saved.")
        return redirect("newsletter:staff-question", pk=question.pk)
    attach = AttachForm(initial={"title": _suggest_title(question)})
    context = _question_context(question, form, attach, previews=previews)
    return render(request, "newsletter/staff/question.html", context)


def _suggest_title(question: ReaderQuestion) -> str:
    first_line = question.question.strip().split("\n")[0]
    return first_line[:70].rsplit(" ", 1)[0] + "…" if len(first_line) > 70 else first_line


@role_required(Role.EDITOR)
@require_POST
def question_attach(request: HttpRequest, pk: int) -> HttpResponse:
    question = services.get_question_for(request.user, pk)
    attach = AttachForm(request.POST)
    if attach.is_valid():
        try:
            article = services.attach_question_to_issue(question=question, **attach.cleaned_data)
        except services.CannotAttach as error:
            attach.add_error(None, str(error))
        else:
            messages.success(request, f"Letter added to {article.issue.label}.")
            return redirect("newsletter:staff-issue", pk=article.issue_id)
    context = _question_context(question, AnswerForm(instance=question), attach, previews={})
    return render(request, "newsletter/staff/question.html", context, status=400)


@role_required(Role.EDITOR)
@require_POST
def question_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    question = services.get_question_for(request.user, pk)
    try:
        if action == "decline":
            services.decline_question(question=question)
            messages.success(request, "Question declined.")
        else:
            services.reopen_question(question=question)
            messages.success(request, "Question back in the queue.")
    except services.CannotAttach as error:
        messages.error(request, str(error))
    return redirect("newsletter:staff-question", pk=question.pk)


# Subscribers -------------------------------------------------------------------------------


def _subscriber_rows(request: HttpRequest):
    status = request.GET.get("status", "")
    rows = Subscriber.objects.all()
    if status in Subscriber.Status.values:
        rows = rows.filter(status=status)
    query = search_text(request, limit=254)
    if query:
        rows = rows.filter(Q(email__icontains=query) | Q(name__icontains=query))
    return rows, status, query


@role_required(Role.EDITOR)
@require_GET
def subscribers(request: HtmxRequest) -> HttpResponse:
    rows, status, query = _subscriber_rows(request)
    page_obj = paginate(request, rows.order_by("email"), 50)
    context = {
        "page_obj": page_obj,
        "status": status,
        "q": query,
        "counts": services.subscriber_counts(),
        "statuses": Subscriber.Status.choices,
    }
    if swaps(request, "subscriber-table"):
        return render(request, "newsletter/staff/subscribers.html#table", context)
    return render(request, "newsletter/staff/subscribers.html", context)


@role_required(Role.EDITOR)
@require_GET
def subscriber_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = services.get_subscriber_for(request.user, pk)
    deliveries = subscriber.deliveries.select_related("issue").order_by("-id")[:24]
    context = {"subscriber": subscriber, "deliveries": deliveries}
    return render(request, "newsletter/staff/subscriber.html", context)


@role_required(Role.EDITOR)
@require_POST
def subscriber_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    subscriber = services.get_subscriber_for(request.user, pk)
    if action == "unsubscribe":
        services.unsubscribe(subscriber=subscriber, how=f"by {request.user.email}")
        messages.success(request, f"{subscriber.email} unsubscribed.")
    else:
        services.reset_suppression(subscriber=subscriber, by=request.user)
        messages.success(request, f"{subscriber.email} was asked to confirm again.")
    return redirect("newsletter:staff-subscriber", pk=subscriber.pk)


@role_required(Role.EDITOR)  # type: ignore[arg-type]  # a streamed CSV is still a response
@require_GET
def subscribers_export(request: HttpRequest) -> StreamingHttpResponse:
    rows, status, _ = _subscriber_rows(request)
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        subscriber_csv.export_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="career-tips-subscribers-{status or "all"}-{stamp}.csv"'
    )
    return response


@role_required(Role.EDITOR)
def subscribers_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > subscriber_csv.MAX_BYTES:
                raise subscriber_csv.ImportFileError("The file is larger than 5 MB.")
            preview = subscriber_csv.preview_import(upload.read())
        except subscriber_csv.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return _import_preview(request, preview, upload.name, form.cleaned_data["mode"])
    return render(request, "newsletter/staff/import.html", {"form": form})


def _import_preview(request: HttpRequest, preview, filename: str, mode: str) -> HttpResponse:
    payload = subscriber_csv.sign_payload(preview=preview, filename=filename)
    confirm_form = ImportConfirmForm(initial={"payload": payload, "mode": mode})
    problems = sorted(preview.of("error") + preview.of("duplicate"), key=lambda row: row.line)
    others = [row for row in preview.rows if row.action in ("add", "exists", "suppressed")]
    context = {
        "problems": problems[:500],
        "problem_total": len(problems),
        "others": others[:200],
        "other_total": len(others),
        "counts": preview.counts,
        "filename": filename,
        "mode": mode,
        "confirm_form": confirm_form,
    }
    return render(request, "newsletter/staff/import_preview.html", context)


@role_required(Role.EDITOR)
@require_POST
def subscribers_import_confirm(request: HttpRequest) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    data = subscriber_csv.read_payload(request.POST.get("payload", ""))
    if data is None:
        messages.error(request, "That preview has expired. Please upload the file again.")
        return redirect("newsletter:staff-import")
    if not form.is_valid():
        messages.error(request, "Only import people who agreed to hear from Career Tips.")
        return redirect("newsletter:staff-import")
    added = subscriber_csv.import_subscribers(
        rows=data["rows"],
        filename=data["file"],
        by=request.user,
        ask_to_confirm=form.cleaned_data["mode"] == "confirm",
    )
    messages.success(request, f"Imported {added} new subscriber{'s' if added != 1 else ''}.")
    return redirect(reverse("newsletter:staff-subscribers"))
