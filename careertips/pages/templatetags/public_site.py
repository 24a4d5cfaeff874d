from django import template
from django.utils.safestring import SafeString

from careertips.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown to sanitised HTML: staff and reader text never reaches a page as raw HTML."""
    return render_markdown(text)
