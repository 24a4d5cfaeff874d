"""The network's pages: contacts, organizations, events, and importing contacts."""
