from __future__ import annotations

from django import forms
from django.urls import Resolver404, resolve

from careertips.core.abuse import HoneypotMixin, single_line
from careertips.core.markdown import MARKDOWN_HELP
from careertips.pages.models import Alliance, Page, Testimonial

# Addresses the rest of the site answers at (or may soon), which a page must not shadow.
RESERVED_SLUGS = {"staff", "static", "media", "admin", "accounts", "api", "newsletter", "new"}


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "summary", "body", "nav_order", "in_navigation", "published"]
        labels = {
            "slug": "Address",
            "nav_order": "Menu position",
            "in_navigation": "Show in the site menu",
            "published": "Published (visible to everyone)",
        }
        help_texts = {
            "slug": "The page lives at /&lt;address&gt;/: lowercase letters, digits and hyphens.",
            "body": MARKDOWN_HELP,
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"], label="The title")

    def clean_summary(self) -> str:
        return single_line(self.cleaned_data["summary"], label="The summary")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS or not _is_free_address(slug):
            raise forms.ValidationError("Another part of the site uses that address.")
        return slug


def _is_free_address(slug: str) -> bool:
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return True
    return match.view_name == "pages:page"


class AllianceForm(forms.ModelForm):
    class Meta:
        model = Alliance
        fields = ["name", "url", "description", "published"]
        labels = {"url": "Web address", "published": "Show on the Strategic Alliances page"}
        help_texts = {"description": MARKDOWN_HELP}
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def clean_name(self) -> str:
        return single_line(self.cleaned_data["name"], label="The name")


class TestimonialForm(forms.ModelForm):
    """Staff may correct a typo; what the client said stays theirs."""

    class Meta:
        model = Testimonial
        fields = ["author_name", "author_title", "body"]
        labels = {"author_name": "Name", "author_title": "Role and place", "body": "Testimonial"}

    def clean_author_name(self) -> str:
        return single_line(self.cleaned_data["author_name"], label="The name")

    def clean_author_title(self) -> str:
        return single_line(self.cleaned_data["author_title"], label="The role")


class ShareStoryForm(HoneypotMixin, forms.Form):
    author_name = forms.CharField(label="Your name as it should appear", max_length=120)
    author_title = forms.CharField(
        label="Your role and city",
        max_length=200,
        required=False,
        help_text="For example: Controller, Denver.",
    )
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        required=False,
        help_text="Only so we can thank you; never published.",
    )
    body = forms.CharField(
        label="Your story",
        max_length=3_000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="What changed for you? Up to 3,000 characters.",
    )
    consent = forms.BooleanField(
        label="Career Tips may publish my story with my name on its website.",
        error_messages={"required": "We can only publish your story with your permission."},
    )

    def clean_author_name(self) -> str:
        return single_line(self.cleaned_data["author_name"], label="Your name")

    def clean_author_title(self) -> str:
        return single_line(self.cleaned_data["author_title"], label="Your role")


class ContactForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label="Your name", max_length=120)
    email = forms.EmailField(label="Your email", max_length=254)
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Up to 10,000 characters.",
    )

    def clean_name(self) -> str:
        return single_line(self.cleaned_data["name"], label="Your name")

    def clean_subject(self) -> str:
        return single_line(self.cleaned_data["subject"], label="The subject")

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Please write a message.")
        return body


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, max_length=50_000, strip=False)
