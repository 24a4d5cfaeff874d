"""The newsletter's pages: the public archive and subscribing, the staff desk, sending."""
