"""The public site's pages: what visitors see, and the staff desk that edits it."""
