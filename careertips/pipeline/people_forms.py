"""The people on an opportunity in its form: the hiring manager and the referrer, each one of
the member's contacts (from a menu kept short for members with many) or a new one typed in."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import Count, Q
from django.utils.html import format_html

from careertips.core.access import row_id_or_none
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.core.validators import validate_single_line
from careertips.network.choices import CONTACT_ROW, ContactChoiceField, label_of
from careertips.network.models import Contact

NOT_YOUR_CONTACT = "Choose one of your own contacts."
# The people an opportunity names, each picked from the member's contacts or typed in new.
PEOPLE = {"hiring_manager": "Hiring manager", "referred_by": "Referred by"}
# How a new contact typed for each role is named on the form's labels.
NEWCOMERS = {"hiring_manager": "hiring manager", "referred_by": "referrer"}


@dataclass(frozen=True)
class NewContact:
    """Someone typed on the opportunity form, to be added to the member's network."""

    name: str
    email: str = ""
    title: str = ""


# Above this many contacts each people menu lists the people at the employer, the current
# pick and the most recently added or changed contacts, with a link to the menu of them all:
# thousands of options made the opportunity form half a megabyte, slow to draw and to use.
CONTACT_MENU_LIMIT = 100
RECENT_CONTACTS = 20


# The menus' queries, compiled once per process (core.prepared): the form is drawn on every
# opportunity's edit page, and building them cost more than running them.
_CONTACT_COUNT = Prepared(
    lambda owner: (
        Contact.objects.filter(owner_id=owner)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("n")
        .order_by()
    ),
    owner=int,
)


@functools.cache
def _recent_contacts(limit: int) -> Prepared:
    return Prepared(
        lambda owner: (
            Contact.objects.filter(owner_id=owner)
            .order_by("-updated_at", "-id")
            .values_list(*CONTACT_ROW)[:limit]
        ),
        owner=int,
    )


_PICKED_OR_AT = Prepared(
    lambda first, second, employer: (
        Contact.objects.filter(Q(pk=first) | Q(pk=second) | Q(organization_id=employer))
        .values_list("owner_id", *CONTACT_ROW)
        .order_by()
    ),
    first=int,
    second=int,
    employer=int,
)


class PeopleFields(forms.BaseForm):
    """The hiring manager and the referrer: each one of the member's contacts, or a new
    contact typed in place (name, and optionally email and title)."""

    owner: User
    # The page listing every contact in the menus, while they are shortened; else "".
    full_menu_url = ""

    def add_people_fields(self, owner: User) -> None:
        def contacts() -> Any:
            return Contact.objects.owned_by(owner).select_related("organization")

        for role, label in PEOPLE.items():
            who = NEWCOMERS[role]
            self.fields[role] = pick = ContactChoiceField(
                queryset=None,
                required=False,
                label=label,
                empty_label="— no one —",
                error_messages={"invalid_choice": NOT_YOUR_CONTACT},
                help_text="One of your contacts.",
            )
            pick.rows_from(contacts)  # made when a contact is sent or the menu is drawn
            self.fields[f"{role}_name"] = forms.CharField(
                label=f"…or a new {who}’s name",
                max_length=200,
                required=False,
                validators=[validate_single_line],
                help_text="Not a contact yet? They are added to your network, at the employer.",
            )
            self.fields[f"{role}_email"] = forms.EmailField(
                label=f"New {who}’s email", required=False
            )
            self.fields[f"{role}_title"] = forms.CharField(
                label=f"New {who}’s job title", max_length=200, required=False
            )

    def shorten_people_menus(self, *, employer: Any, full_menu_url: str) -> None:
        """Above CONTACT_MENU_LIMIT contacts, each menu lists the people at the employer (an
        Organization, its id, or None), the current pick and the RECENT_CONTACTS most
        recently added or changed contacts, and its help links to full_menu_url (or, when it
        is empty, says where the others can be chosen). Any of the member's contacts is still
        accepted: the fields' querysets are all of them."""
        owner = self.owner.pk
        count = next(iter(_CONTACT_COUNT(owner=owner)), (0,))[0]
        if count <= CONTACT_MENU_LIMIT:
            return
        self.full_menu_url = full_menu_url
        employer_id = row_id_or_none(getattr(employer, "pk", employer))
        source = self.data if self.is_bound else self.initial
        picks = {
            role: row_id_or_none(getattr(source.get(role), "pk", source.get(role)))
            for role in PEOPLE
        }
        recent = _recent_contacts(RECENT_CONTACTS)(owner=owner)
        rows: dict[int, tuple[Any, ...]] = {}
        if employer_id is not None or any(pk is not None for pk in picks.values()):
            first, second = (pk or 0 for pk in picks.values())  # no row has the id 0
            wanted = _PICKED_OR_AT(first=first, second=second, employer=employer_id or 0)
            # Only the member's own: checked here, so that SQLite finds the rows by their
            # ids and employer rather than going through all the member's contacts.
            rows = {row[1]: row[1:] for row in wanted if row[0] == owner}
        recent_ids = {row[0] for row in recent}
        rows.update((row[0], row) for row in recent)
        # The people at the employer first, then by name.
        ordered = sorted(
            rows.values(),
            key=lambda row: (
                employer_id is None or row[3] != employer_id,
                row[1].casefold(),
                row[0],
            ),
        )
        for role, pick in picks.items():
            field = cast(ContactChoiceField, self.fields[role])
            field.widget.choices = [
                ("", field.empty_label),
                *(
                    (row[0], label_of(row))
                    for row in ordered
                    if row[0] in recent_ids
                    or row[0] == pick
                    or (employer_id is not None and row[3] == employer_id)
                ),
            ]
            listed = (
                f"your contacts at the employer and the {RECENT_CONTACTS}"
                if employer_id
                else f"the {RECENT_CONTACTS} contacts"
            )
            field.help_text = (
                format_html(
                    'The menu lists {} you added or changed last. <a href="{}#id_{}">'
                    "Choose from all {} of your contacts</a>",
                    listed,
                    full_menu_url,
                    role,
                    f"{count:,}",
                )
                if full_menu_url
                else f"The menu lists {listed} you added or changed last; any other of your "
                f"{count:,} contacts can be chosen on the opportunity’s edit page once it "
                "is saved."
            )

    @property
    def people_groups(self) -> list[dict[str, Any]]:
        """The bound fields of each person, for the template to lay out."""
        return [
            {
                "pick": self[role],
                "new": [self[f"{role}_{part}"] for part in ("name", "email", "title")],
            }
            for role in PEOPLE
        ]

    def clean_people(self, data: dict[str, Any]) -> None:
        for role in PEOPLE:
            chosen = data.get(role)
            name = " ".join((data.get(f"{role}_name") or "").split())
            extra = data.get(f"{role}_email") or data.get(f"{role}_title")
            if chosen and (name or extra):
                self.add_error(f"{role}_name", "Choose a contact or type a new one, not both.")
            elif extra and not name:
                self.add_error(f"{role}_name", "Type the new contact’s name too.")
            elif name and (
                same := Contact.objects.owned_by(self.owner).filter(name__iexact=name).first()
            ):
                self.add_error(f"{role}_name", self._already_a_contact(role, same))

    def _already_a_contact(self, role: str, same: Contact) -> str:
        message = f"You already have a contact named {same.name}: choose them in the list."
        if not self.full_menu_url:
            return message
        # The shortened menu may not list them: the link shows every contact.
        return format_html(
            "You already have a contact named {}: choose them in the list "
            '(<a href="{}#id_{}">show all your contacts</a>).',
            same.name,
            self.full_menu_url,
            role,
        )

    def people(self) -> dict[str, Contact | NewContact | None]:
        """For each role: the contact chosen, the one typed in, or None."""
        data = self.cleaned_data
        found: dict[str, Contact | NewContact | None] = {}
        for role in PEOPLE:
            name = " ".join((data.get(f"{role}_name") or "").split())
            found[role] = data.get(role) or (
                NewContact(name, data[f"{role}_email"], data[f"{role}_title"].strip())
                if name
                else None
            )
        return found
