from typing import Any

from django import forms

from careertips.coaching import services
from careertips.coaching.models import MAX_NOTE_LENGTH, Industry, RoleFamily, Scope, Sharing
from careertips.core.models import User
from careertips.debriefs.models import Theme


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


class ScopesForm(forms.Form):
    """What one coach may read, part by part."""

    pipeline = forms.BooleanField(label=Scope.PIPELINE.label, required=False)
    debriefs = forms.BooleanField(
        label="Debriefs (feedback, themes, improvement actions, thank-you)", required=False
    )
    stories = forms.BooleanField(label=Scope.STORIES.label, required=False)
    offers = forms.BooleanField(label=Scope.OFFERS.label, required=False)
    network = forms.BooleanField(label="Network (contacts)", required=False)

    def chosen(self) -> set[str]:
        return {scope for scope in Scope.values if self.cleaned_data.get(scope)}


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, e.g. 2026-03-14 10:30."},
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", initial=45, min_value=5, max_value=480
    )
    place = forms.CharField(label="Place", max_length=300, required=False)
    video_url = forms.URLField(label="Video link", max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("place") or data.get("video_url")):
            self.add_error("place", "Give a place to meet or a video link.")
        return data


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary", max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(label="Action item", max_length=300)
    due_on = forms.DateField(
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, e.g. 2026-03-14."},
    )


class ConsentForm(forms.Form):
    consents = forms.BooleanField(
        label="Count my debrief themes in the practice's anonymous figures",
        required=False,
        help_text="Only the themes (e.g. “skills gap”), never your words, employers or contacts; "
        "only in groups of at least 5 members. Off unless you switch it on.",
    )
    role_family = forms.ChoiceField(
        label="Role family", choices=[("", "—"), *RoleFamily.choices], required=False
    )
    industry = forms.ChoiceField(
        label="Industry", choices=[("", "—"), *Industry.choices], required=False
    )


class DraftForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices)
    kind = forms.ChoiceField(
        choices=[("feature", "Feature"), ("letter", "Dear Career Tips letter")]
    )
