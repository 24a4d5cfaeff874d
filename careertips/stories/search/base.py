from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class StoryDocument:
    """What the index knows of a story: weighted title, tags (competencies, where), body."""

    story_id: int
    owner_id: int
    title: str
    tags: str
    body: str


class SearchBackend(Protocol):
    def index_story(self, doc: StoryDocument) -> None: ...

    def unindex_stories(self, story_ids: Sequence[int]) -> None: ...

    def index_requirements(self, rows: Sequence[tuple[int, int, str]]) -> None:
        """Rows are (requirement id, opportunity id, text)."""

    def unindex_requirements(self, requirement_ids: Sequence[int]) -> None: ...

    def clear(self) -> None: ...

    def rank_stories(
        self,
        *,
        owner_id: int,
        queries: Mapping[K, Sequence[str]],
        limit: int,
        match_all: bool = False,
    ) -> dict[K, list[int]]:
        """For each query (a list of terms), the owner's best stories, best first."""
        ...

    def match_requirements(
        self, *, opportunity_id: int, queries: Mapping[K, Sequence[str]]
    ) -> dict[K, list[int]]:
        """For each query, the opportunity's requirements containing every term."""
        ...
