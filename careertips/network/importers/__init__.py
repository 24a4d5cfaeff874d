"""Importing contacts: LinkedIn's connections export, Career Tips' own CSV, and vCards.

An upload is parsed into rows (`parse`), each checked and matched against the member's
network (`match`), and kept as an ImportBatch for the member to review. Nothing touches their
contacts until they confirm (`apply`); confirming matches again against the network as it is
then, so importing a file twice adds nothing the second time.
"""

from careertips.network.importers.apply import (
    IMPORT_STALE_AFTER,
    apply_import,
    discard_import,
    is_stale,
    preview_import,
    queue_import,
    reopen_import,
)
from careertips.network.importers.match import summarize
from careertips.network.importers.parse import (
    CAREERTIPS_COLUMNS,
    MAX_IMPORT_ROWS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    parse_upload,
)

__all__ = [
    "CAREERTIPS_COLUMNS",
    "IMPORT_STALE_AFTER",
    "MAX_IMPORT_ROWS",
    "MAX_UPLOAD_BYTES",
    "ImportFileError",
    "apply_import",
    "discard_import",
    "is_stale",
    "parse_upload",
    "preview_import",
    "queue_import",
    "reopen_import",
    "summarize",
]
