# No admin registration: a member's résumé is private to them (see the trust rule in the
# design); nobody reads it through the admin site.
