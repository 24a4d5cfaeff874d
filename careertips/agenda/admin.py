"""Nothing of a member's search is in the admin site: it is private to the member, and to
the coaches they share with through the site's own pages (see docs/roles.md)."""
