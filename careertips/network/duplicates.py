"""Recognising one person twice: by email, by profile URL, or by name at an organization."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower

from careertips.core.links import pk_url
from careertips.core.prepared import Prepared
from careertips.network.models import Contact, contact_label

# Titles and credentials that LinkedIn names often carry; they do not make another person.
NAME_NOISE = {"dr", "mr", "mrs", "ms", "mx", "prof", "phd", "mba", "cpa", "pmp", "msc"}


def normalize_name(name: str) -> str:
    """A comparison key: "Dr. José  Núñez, MBA" and "jose nunez" are the same person."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w for w in words if w not in NAME_NOISE)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_profile_url(url: str) -> str:
    """linkedin.com/in/dana, https://www.linkedin.com/in/dana/ and …?trk=x are one profile."""
    text = (url or "").strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.")
    return re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")


def organization_key(name: str) -> str:
    return " ".join((name or "").casefold().split())


@dataclass(frozen=True)
class PersonKeys:
    """The three ways a person is recognised, normalised once."""

    email: str
    url: str
    name: tuple[str, str]  # (normalised name, organization key)

    @classmethod
    def of(cls, *, name: str, email: str, profile_url: str, org_name: str) -> PersonKeys:
        return cls(
            normalize_email(email),
            normalize_profile_url(profile_url),
            (normalize_name(name), organization_key(org_name)),
        )


@dataclass
class DuplicateIndex:
    """Who is already in a network, by email, profile URL, and name at an organization."""

    by_email: dict[str, int] = field(default_factory=dict)
    by_url: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, ref: int, keys: PersonKeys) -> None:
        if keys.email:
            self.by_email.setdefault(keys.email, ref)
        if keys.url:
            self.by_url.setdefault(keys.url, ref)
        if keys.name[0]:
            self.by_name.setdefault(keys.name, ref)

    def match(self, keys: PersonKeys) -> tuple[int, str] | None:
        """The first entry this person matches, and why."""
        if keys.email and keys.email in self.by_email:
            return self.by_email[keys.email], "same email"
        if keys.url and keys.url in self.by_url:
            return self.by_url[keys.url], "same profile URL"
        if keys.name[0] and keys.name in self.by_name:
            return self.by_name[keys.name], "same name at the same organization"
        return None


def find_duplicates(
    *,
    owner: Any,
    name: str,
    email: str = "",
    profile_url: str = "",
    organization_name: str = "",
    exclude_pk: int | None = None,
) -> list[Contact]:
    """Contacts that are probably this person: same email, profile or name at the org."""
    email_key, url_key = normalize_email(email), normalize_profile_url(profile_url)
    name_key = (normalize_name(name), organization_key(organization_name))
    found: list[int] = []
    rows = Contact.objects.owned_by(owner).values_list(
        "pk", "name", "email", "profile_url", "organization__name"
    )
    for pk, other_name, other_email, other_url, org_name in rows:
        same_email = bool(email_key) and normalize_email(other_email) == email_key
        same_url = bool(url_key) and normalize_profile_url(other_url) == url_key
        same_name = bool(name_key[0]) and name_key == (
            normalize_name(other_name),
            organization_key(org_name or ""),
        )
        if pk != exclude_pk and (same_email or same_url or same_name):
            found.append(pk)
    return list(Contact.objects.filter(pk__in=found).select_related("organization"))


def duplicate_groups(*, owner: Any) -> list[list[Contact]]:
    """Sets of contacts that look like one person, for the duplicates page."""
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.get(pk, pk) != pk:
            pk = parent[pk]
        return pk

    index = DuplicateIndex()
    rows = Contact.objects.owned_by(owner).values_list(
        "pk", "name", "email", "profile_url", "organization__name"
    )
    for pk, name, email, url, org_name in rows.order_by("pk"):
        keys = PersonKeys.of(name=name, email=email, profile_url=url, org_name=org_name or "")
        if hit := index.match(keys):
            parent[root(pk)] = root(hit[0])
        index.add(pk, keys)
    groups: dict[int, list[int]] = {}
    for pk in parent:
        groups.setdefault(root(pk), [root(pk)]).append(pk)
    wanted = {pk for members in groups.values() for pk in members}
    contacts = Contact.objects.filter(pk__in=wanted).select_related("organization").in_bulk()
    return [
        [contacts[pk] for pk in sorted(set(members))]
        for members in sorted(groups.values(), key=lambda m: contacts[m[0]].name.casefold())
    ]


@dataclass(frozen=True)
class LikelyDuplicate:
    pk: int
    label: str  # as Contact.label gives it
    url: str


def likely_duplicates(contact: Contact) -> list[LikelyDuplicate]:
    """A cheap hint on the contact page, up to five; the duplicates page does the thorough
    search. Each branch of the union uses its own index, so this stays fast in a large
    network."""
    query = _LIKELY[contact.organization_id is not None, bool(contact.email)]
    rows = query(
        contact=contact.pk,
        owner=contact.owner_id,
        name=contact.name,
        organization=contact.organization_id or 0,
        email=contact.email.lower(),
    )
    return [
        LikelyDuplicate(
            pk,
            contact_label(name, title, organization or ""),
            pk_url("network:contact", pk),
        )
        for pk, name, title, organization in rows
    ]


def _likely_duplicates(*, at_organization: bool, by_email: bool) -> Prepared:
    def build(**marks: Any) -> QuerySet[Contact, Any]:
        others = Contact.objects.filter(owner_id=marks["owner"]).exclude(pk=marks["contact"])
        same = others.filter(name=marks["name"])
        if at_organization:
            same = same.filter(organization_id=marks["organization"])
        else:
            same = same.filter(organization__isnull=True)
        ids = same.values("pk")
        if by_email:
            email = others.alias(email_lower=Lower("email")).filter(email_lower=marks["email"])
            ids = ids.union(email.values("pk"))
        return Contact.objects.filter(pk__in=ids).values_list(
            "pk", "name", "title", "organization__name"
        )[:5]

    kinds: dict[str, type] = {"contact": int, "owner": int, "name": str}
    if at_organization:
        kinds["organization"] = int
    if by_email:
        kinds["email"] = str
    return Prepared(build, **kinds)


_LIKELY = {
    (at_organization, by_email): _likely_duplicates(
        at_organization=at_organization, by_email=by_email
    )
    for at_organization in (False, True)
    for by_email in (False, True)
}
