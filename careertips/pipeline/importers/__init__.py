"""Importing opportunities from other trackers' exports and home-made spreadsheets.

An upload (CSV or XLSX) is read into cells (`core.uploads`), its columns mapped to our fields
by the headers it has (`columns`: presets for Huntr, Teal and the usual spreadsheet headers),
each row checked and matched against the member's pipeline (`rows`), and kept as an
OpportunityImport for the member to review, remap and confirm. Nothing touches the pipeline
until the task worker writes the confirmed rows in one transaction (`apply`).
"""

from careertips.core.uploads import ImportFileError
from careertips.pipeline.importers.apply import (
    IMPORT_STALE_AFTER,
    MAX_IMPORT_ROWS,
    MAX_UPLOAD_BYTES,
    apply_import,
    blockers,
    discard_import,
    is_stale,
    map_import,
    preview_import,
    queue_import,
    reopen_import,
)
from careertips.pipeline.importers.columns import (
    FIELDS,
    MULTI_COLUMN_FIELDS,
    PRESETS,
    REQUIRED_FIELDS,
    guess_mapping,
    parse_pay,
)
from careertips.pipeline.importers.rows import (
    ROW_FILTER_LABELS,
    label_stages,
    rows_to_show,
    summarize,
    unknown_stages,
)

__all__ = [
    "FIELDS",
    "IMPORT_STALE_AFTER",
    "MAX_IMPORT_ROWS",
    "MAX_UPLOAD_BYTES",
    "MULTI_COLUMN_FIELDS",
    "PRESETS",
    "REQUIRED_FIELDS",
    "ROW_FILTER_LABELS",
    "ImportFileError",
    "apply_import",
    "blockers",
    "discard_import",
    "guess_mapping",
    "is_stale",
    "label_stages",
    "map_import",
    "parse_pay",
    "preview_import",
    "queue_import",
    "reopen_import",
    "rows_to_show",
    "summarize",
    "unknown_stages",
]
