"""Turning free text (a requirement, a gap's topic, a search box) into full-text search terms.

Ranking is the database's job (BM25 in SQLite FTS5, ts_rank in PostgreSQL); this module only
decides which words are worth asking about, so "the", "and" and posting boilerplate such as
"experience" or "ability" do not match every story in the bank.
"""

from __future__ import annotations

import re

MAX_TERMS = 24

STOP_WORDS = frozenset(
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
        "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
        "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
        "either", "etc", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on",
        "once", "only", "or", "other", "our", "ours", "out", "over", "same", "she", "should", "so",
        "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
        "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us",
        "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "within", "without", "would", "you", "your", "yours",
        "ability", "able", "candidate", "candidates", "demonstrated", "desired", "excellent",
        "experience", "experienced", "familiarity", "good", "great", "ideal", "ideally",
        "including", "knowledge", "must", "plus", "preferred", "proven", "required", "requirement",
        "requirements", "role", "skill", "skills", "strong", "understanding", "work", "working",
        "year", "years"
    }
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+")


def search_terms(text: str, *, limit: int = MAX_TERMS) -> list[str]:
    """Distinct lower-case words of `text` in order, without stop words or single letters."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) > 1 and word not in STOP_WORDS and word not in seen:
            seen[word] = None
            if len(seen) >= limit:
                break
    return list(seen)
