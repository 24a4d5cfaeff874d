"""Résumés and cover letters as DOCX, PDF and plain text, in one of the templates.

DOCX is what applicant tracking systems read best when it is plain: one column, Word's own
Title/Heading/List Bullet styles, no tables, text boxes, headers or footers. The PDF carries
the same content through WeasyPrint, whose fetcher allows data: URLs only, so rendering never
reaches the network or the file system whatever a member typed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from careertips.resumes.models import CoverLetter, Credential, ResumeVersion
from careertips.resumes.services import profile_of
from careertips.resumes.text import clean, one_line

TEMPLATES = {"classic": "Classic", "modern": "Modern"}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}
# Word fonts and heading colour per template (the PDF's are in resumes/resume.css).
DOCX_LOOK: dict[str, tuple[str, str, tuple[int, int, int]]] = {
    "classic": ("Georgia", "Georgia", (0x22, 0x22, 0x22)),
    "modern": ("Calibri", "Calibri Light", (0x1F, 0x4E, 0x79)),
}


@dataclass
class Job:
    heading: str
    detail: str
    bullets: list[str]


@dataclass
class ResumeDoc:
    """What a résumé says, in reading order, already cleaned for every format."""

    name: str
    headline: str
    contact: list[str]
    summary: str
    skills: list[str]
    jobs: list[Job]
    education: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)


@dataclass
class LetterDoc:
    name: str
    contact: list[str]
    salutation: str
    paragraphs: list[str]
    closing: str
    signature: str


def resume_doc(version: ResumeVersion) -> ResumeDoc:
    """The version's content: visible bullets only, under their positions, in order."""
    profile = profile_of(version.owner)
    jobs: dict[int, Job] = {}
    items = version.bullets.filter(hidden=False).select_related("position").order_by("order", "id")
    for item in items:
        position = item.position
        if position.pk not in jobs:
            place = ", ".join(one_line(p) for p in (position.employer, position.location) if p)
            jobs[position.pk] = Job(
                heading=one_line(position.title), detail=f"{place} · {position.dates}", bullets=[]
            )
        jobs[position.pk].bullets.append(one_line(item.text))
    credentials = list(Credential.objects.owned_by(version.owner))
    contact = [one_line(x) for x in [*profile.contact_lines, profile.location, *profile.link_lines]]
    return ResumeDoc(
        name=one_line(profile.name) or version.owner.display_name,
        headline=one_line(version.headline),
        contact=[x for x in contact if x],
        summary=one_line(version.summary),
        skills=[one_line(s) for s in version.skill_list],
        jobs=list(jobs.values()),
        education=[one_line(str(c)) for c in credentials if c.kind == Credential.Kind.EDUCATION],
        certifications=[
            one_line(str(c)) for c in credentials if c.kind == Credential.Kind.CERTIFICATION
        ],
    )


def letter_doc(letter: CoverLetter) -> LetterDoc:
    profile = profile_of(letter.owner)
    contact = [one_line(x) for x in [*profile.contact_lines, profile.location]]
    return LetterDoc(
        name=one_line(profile.name) or letter.owner.display_name,
        contact=[x for x in contact if x],
        salutation=one_line(letter.salutation),
        paragraphs=[one_line(clean(p)) for p in letter.paragraphs],
        closing=one_line(letter.closing),
        signature=one_line(letter.signature),
    )


def file_name(kind: str, opportunity: Any, pk: int, fmt: str) -> str:
    employer = slugify(opportunity.organization.name)[:40] or "employer"
    return f"{kind}-{employer}-{pk}.{fmt}"


# Plain text.


def resume_text(doc: ResumeDoc) -> str:
    out = [doc.name]
    out += [x for x in (doc.headline, " · ".join(doc.contact)) if x]
    for title, body in _sections(doc):
        out += ["", title.upper(), *body]
    return "\n".join(out) + "\n"


def _sections(doc: ResumeDoc) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    if doc.summary:
        sections.append(("Summary", [doc.summary]))
    if doc.jobs:
        body: list[str] = []
        for job in doc.jobs:
            body += [job.heading, job.detail, *[f"- {b}" for b in job.bullets], ""]
        sections.append(("Experience", body[:-1]))
    for title, items in (
        ("Education", doc.education),
        ("Certifications", doc.certifications),
    ):
        if items:
            sections.append((title, items))
    if doc.skills:
        sections.append(("Skills", [", ".join(doc.skills)]))
    return sections


def letter_text(doc: LetterDoc) -> str:
    out = [doc.name, *doc.contact, "", doc.salutation, ""]
    for paragraph in doc.paragraphs:
        out += [paragraph, ""]
    out += [doc.closing, doc.signature]
    return "\n".join(out) + "\n"


# DOCX.


def _word(template: str) -> Any:
    from docx import Document
    from docx.shared import Inches, Pt, RGBColor

    font, heading_font, colour = DOCX_LOOK[template]
    document = Document()
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(0.8)
        section.top_margin = section.bottom_margin = Inches(0.7)
    document.styles["Normal"].font.name = font
    document.styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = heading_font
        style.font.color.rgb = RGBColor(*colour)
    document.styles["Title"].font.size = Pt(22)
    return document


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resume_docx(doc: ResumeDoc, *, template: str) -> bytes:
    document = _word(template)
    document.core_properties.title = f"Résumé: {doc.name}"[:255]
    document.add_paragraph(doc.name, style="Title")
    if doc.headline:
        document.add_paragraph(doc.headline, style="Subtitle")
    if doc.contact:
        document.add_paragraph(" · ".join(doc.contact))
    if doc.summary:
        document.add_heading("Summary", level=1)
        document.add_paragraph(doc.summary)
    if doc.jobs:
        document.add_heading("Experience", level=1)
        for job in doc.jobs:
            document.add_heading(job.heading, level=2)
            document.add_paragraph(job.detail)
            for bullet in job.bullets:
                document.add_paragraph(bullet, style="List Bullet")
    for title, items in (("Education", doc.education), ("Certifications", doc.certifications)):
        if items:
            document.add_heading(title, level=1)
            for item in items:
                document.add_paragraph(item)
    if doc.skills:
        document.add_heading("Skills", level=1)
        document.add_paragraph(", ".join(doc.skills))
    return _save(document)


def letter_docx(doc: LetterDoc, *, template: str) -> bytes:
    document = _word(template)
    document.core_properties.title = f"Cover letter: {doc.name}"[:255]
    document.add_paragraph(doc.name, style="Title")
    if doc.contact:
        document.add_paragraph(" · ".join(doc.contact))
    for text in (doc.salutation, *doc.paragraphs, doc.closing, doc.signature):
        document.add_paragraph(text)
    return _save(document)


# PDF.


@cache
def _stylesheet() -> str:
    path = finders.find("resumes/resume.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def _pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    html = render_to_string(template_name, context)
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)])


def resume_pdf(doc: ResumeDoc, *, template: str) -> bytes:
    return _pdf("resumes/resume_pdf.html", {"doc": doc, "template": template})


def letter_pdf(doc: LetterDoc, *, template: str) -> bytes:
    return _pdf("resumes/letter_pdf.html", {"doc": doc, "template": template})


def export_resume(version: ResumeVersion, *, fmt: str, template: str) -> bytes:
    doc = resume_doc(version)
    if fmt == "docx":
        return resume_docx(doc, template=template)
    if fmt == "pdf":
        return resume_pdf(doc, template=template)
    return resume_text(doc).encode("utf-8")


def export_letter(letter: CoverLetter, *, fmt: str, template: str) -> bytes:
    doc = letter_doc(letter)
    if fmt == "docx":
        return letter_docx(doc, template=template)
    if fmt == "pdf":
        return letter_pdf(doc, template=template)
    return letter_text(doc).encode("utf-8")
