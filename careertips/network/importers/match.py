"""Matching parsed rows against the member's network: new, duplicate, update or skip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from careertips.network.duplicates import DuplicateIndex, PersonKeys
from careertips.network.importers.parse import flag_row
from careertips.network.models import Contact


@dataclass
class Network:
    """The member's contacts as the importer needs them: keys to match, values to fill."""

    index: DuplicateIndex
    contacts: dict[int, dict[str, Any]]
    tags: dict[int, set[str]]

    @classmethod
    def load(cls, owner: Any) -> Network:
        index = DuplicateIndex()
        contacts: dict[int, dict[str, Any]] = {}
        columns = [
            "pk", "name", "title", "email", "phone", "profile_url", "how_we_met", "notes",
            "relationship", "next_touch_on", "cadence_days", "organization__name",
        ]  # fmt: skip
        for values in Contact.objects.owned_by(owner).order_by("pk").values(*columns):
            values["organization"] = values.pop("organization__name") or ""
            contacts[values["pk"]] = values
            keys = PersonKeys.of(
                name=values["name"],
                email=values["email"],
                profile_url=values["profile_url"],
                org_name=values["organization"],
            )
            index.add(values["pk"], keys)
        tags: dict[int, set[str]] = {}
        links = Contact.tags.through.objects.filter(contact__owner=owner)
        for contact_id, tag_name in links.values_list("contact_id", "tag__name"):
            tags.setdefault(contact_id, set()).add(tag_name.casefold())
        return cls(index, contacts, tags)


FILL_FIELDS = [
    "title", "organization", "email", "phone", "profile_url", "how_we_met", "notes",
    "next_touch_on", "cadence_days",
]  # fmt: skip


def fills_for(existing: dict[str, Any], fields: dict[str, Any], tags: set[str]) -> dict[str, Any]:
    """What a row adds to an existing contact: blanks filled, never a value overwritten."""
    fills = {
        key: fields[key]
        for key in FILL_FIELDS
        if fields.get(key) not in (None, "") and existing.get(key) in (None, "")
    }
    if existing.get("relationship") == "other" and fields.get("relationship", "other") != "other":
        fills["relationship"] = fields["relationship"]
    if new_tags := [t for t in fields.get("tags", []) if t.casefold() not in tags]:
        fills["tags"] = new_tags
    return fills


def classify_rows(*, rows: list[dict[str, Any]], network: Network) -> None:
    """Sets each row's action: create, update (fill blanks), skip (nothing new) or error."""
    seen = DuplicateIndex()
    for row in rows:
        row["problems"] = [p for p in row["problems"] if p["level"] != "duplicate"]
        row.pop("match", None)
        row.pop("fills", None)
        if any(p["level"] == "error" for p in row["problems"]):
            row["action"] = "error"
            continue
        keys = _keys(row["fields"])
        if earlier := seen.match(keys):
            row["action"] = "skip"
            flag_row(row, "duplicate", f"Same person as line {earlier[0]} ({earlier[1]}).")
            continue
        seen.add(row["line"], keys)
        if hit := network.index.match(keys):
            _classify_existing(row, network, *hit)
        else:
            row["action"] = "create"


def _keys(fields: dict[str, Any]) -> PersonKeys:
    return PersonKeys.of(
        name=fields.get("name", ""),
        email=fields.get("email", ""),
        profile_url=fields.get("profile_url", ""),
        org_name=fields.get("organization", ""),
    )


def _classify_existing(row: dict[str, Any], network: Network, pk: int, why: str) -> None:
    existing = network.contacts[pk]
    fills = fills_for(existing, row["fields"], network.tags.get(pk, set()))
    row["match"] = {"pk": pk, "name": existing["name"]}
    if fills:
        row["action"], row["fills"] = "update", sorted(fills)
        added = ", ".join(k.replace("_", " ") for k in sorted(fills))
        message = f"Already in your network as {existing['name']} ({why}); adds {added}."
    else:
        row["action"] = "skip"
        message = f"Already in your network as {existing['name']} ({why}); nothing new."
    flag_row(row, "duplicate", message)


def summarize(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "skip": 0, "error": 0, "warning": 0, "duplicate": 0}
    for row in rows:
        counts[row["action"]] += 1
        levels = {p["level"] for p in row["problems"]}
        counts["warning"] += "warning" in levels
        counts["duplicate"] += "duplicate" in levels
    return counts
