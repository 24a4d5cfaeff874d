from typing import Any

from django import forms

from careertips.coaching import services
from careertips.coaching.models import MAX_NOTE_LENGTH, Sharing
from careertips.core.models import User


class CoachField(forms.ModelChoiceField):
    """Coaches by the name they go by (their address is theirs to give)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name or obj.short_name


class ShareForm(forms.Form):
    coach = CoachField(
        queryset=services.coaches(),
        label="Coach",
        empty_label="— choose a coach —",
        error_messages={"invalid_choice": "Choose one of the practice's coaches."},
    )

    def __init__(
        self, *args: Any, member: User, sharings: list[Sharing] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        sharings = services.sharings_of(member) if sharings is None else sharings
        already = [sharing.coach_id for sharing in sharings]
        self.fields["coach"].queryset = services.coaches(excluding=member).exclude(  # type: ignore[attr-defined]
            pk__in=already
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works: **bold**, lists, links.",
    )
