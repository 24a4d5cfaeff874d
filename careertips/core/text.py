"""Small text helpers shared by every app."""


def first_name(name: str) -> str:
    """The first word of a person's name ("Dana" for "Dana Whitfield"); "" for no name."""
    parts = name.split()
    return parts[0] if parts else ""
