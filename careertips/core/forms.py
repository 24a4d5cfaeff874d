from django import forms

from careertips.core.models import User


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "time_zone", "follow_up_days"]
        labels = {"follow_up_days": "Follow up after (days)"}
