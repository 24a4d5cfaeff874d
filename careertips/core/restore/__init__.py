"""Restoring a member's own archive (core.account_data) into an empty account.

`archive` checks the upload before anything of it is used (format version, manifest and
SHA-256 of every file, zip bomb limits, names that could reach outside the archive);
`rows` makes the rows again, generic over every app's `Rows` and in the order their
`RESTORE_AFTER` asks for; `services` does it in one transaction, and hands uploads to
the task worker.
"""
