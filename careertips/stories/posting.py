"""Reading a job posting: pasted text or HTML in, one line per requirement out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from careertips.stories.models import Requirement

MAX_POSTING_CHARS = 50_000
MAX_REQUIREMENTS = 200

# Block elements become line breaks and list items bullets; everything else is dropped by nh3
# first (including the content of <script> and <style>), so only text reaches the splitter.
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", *_HEADINGS}
_BULLET = re.compile(r"^\s*(?:[-*•·‣▪◦○●–—+>]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+")
_HEADING = re.compile(r"^[^.!?]{0,80}:$")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(])")
_CUES = re.compile(
    r"\b(experience (?:with|in|of|leading|managing|building|running)|ability to|able to|"
    r"proficien\w*|knowledge of|familiar\w* with|expertise|track record|years of|"
    r"degree|certifi\w*|skills? in|understanding of|comfortable with|must|required|you have|"
    r"you bring|you will|you'll|responsible for|background in|fluent|own(?:ing|ership)?\b)",
    re.IGNORECASE,
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS:
            # A heading introduces requirements; the colon makes the splitter skip it.
            self.parts.append(":")
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(" ".join(data.split()) if "\n" in data else data)


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<\s*/?\s*[a-zA-Z][^>]*>", text))


def posting_to_text(raw: str) -> str:
    """Plain text of a pasted posting; HTML is sanitised, then reduced to lines."""
    if not looks_like_html(raw):
        return raw.replace("\r\n", "\n")
    clean = nh3.clean(raw, tags=_BLOCKS | {"span", "strong", "em", "b", "i"}, attributes={})
    parser = _TextExtractor()
    parser.feed(clean)
    parser.close()
    return "".join(parser.parts)


def _requirement_lines(line: str) -> list[str]:
    """A bulleted line is a requirement; prose keeps only sentences that ask for something."""
    bullet = _BULLET.match(line)
    if bullet:
        return [line[bullet.end() :]]
    if _HEADING.match(line):
        return []
    return [s for s in _SENTENCE_END.split(line) if _CUES.search(s)]


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,")
    if len(text) > Requirement.MAX_LENGTH:
        text = text[: Requirement.MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def split_posting(text: str) -> list[str]:
    """Requirement lines of a posting, in order, without duplicates."""
    found: dict[str, str] = {}
    for raw_line in posting_to_text(text).splitlines():
        line = raw_line.strip()
        if not line:
            continue
        for candidate in _requirement_lines(line):
            tidy = _tidy(candidate)
            if len(tidy) >= 3 and tidy.lower() not in found:
                found[tidy.lower()] = tidy
    return list(found.values())
