"""Text helpers: cleaning what members type so every export format accepts it, turning a
story into a first-draft résumé bullet, and comparing words the way coverage needs."""

from __future__ import annotations

import re
import unicodedata

from careertips.resumes.models import MAX_BULLET
from careertips.stories.search import search_terms

# C0/C1 control characters other than tab and newline: Word's XML refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PRONOUN = re.compile(r"^(?:i|we)\s+", re.IGNORECASE)


def clean(text: str) -> str:
    """`text` without control characters or unpaired surrogates, line ends as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cs")


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(one_line(text)) if s.strip()]


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0].rstrip(" .") if found else ""


def draft_bullet(*, action: str, result: str) -> str:
    """Action, result and figure in one line: "Renegotiated …; saved $1.2M a year (18%)."""
    did = _PRONOUN.sub("", _first_sentence(action))
    # The result sentence that carries a figure, else its first sentence.
    outcomes = sentences(result)
    outcome = next((s for s in outcomes if re.search(r"\d", s)), outcomes[0] if outcomes else "")
    outcome = _PRONOUN.sub("", outcome.rstrip(" ."))
    did = did[:1].upper() + did[1:]
    if did and outcome:
        line = f"{did}; {outcome[:1].lower()}{outcome[1:]}."
    else:
        line = f"{did or outcome}."
    return shorten(line, MAX_BULLET)


def stem(word: str) -> str:
    """A crude stem so "budgets" meets "budget" and "hiring" meets "hire"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)] + keep
            break
    # "hire", "hired" and "hiring" all end as "hir".
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def stems(text: str) -> set[str]:
    return {stem(term) for term in search_terms(text, limit=100_000)}
