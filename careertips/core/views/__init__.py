"""Core pages: the member's own account, the staff Mailbox, and the health check."""
