from django import forms

from careertips.core.models import User


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "time_zone", "follow_up_days"]
        labels = {"follow_up_days": "Follow up after (days)"}
        help_texts = {
            "display_name": "How Career Tips greets you and signs the notes it drafts for you.",
            "time_zone": "Today, reminders and interview times follow this time zone.",
        }
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "follow_up_days": forms.NumberInput(attrs={"min": 1, "max": 90}),
        }
