"""Content-Security-Policy exceptions. The policy itself is `SECURE_CSP` in settings."""

from __future__ import annotations

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

# A page that shows an email in a sandboxed `<iframe srcdoc>` (the Mailbox, an issue's send
# page). A srcdoc document inherits its page's policy, and email HTML is styled inline by
# necessity (mail clients ignore stylesheets) and may show remote images, so these pages
# allow inline styles and https images. Scripts stay refused: the frame is sandboxed without
# allow-scripts, and the page's own script policy is unchanged.
MAIL_PREVIEW_CSP: dict[str, list[str]] = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "https:", "data:"],
}

mail_preview_csp = csp_override(MAIL_PREVIEW_CSP)
