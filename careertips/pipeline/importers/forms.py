"""The forms of an opportunity import: the file, then what each of its columns holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape

from careertips.pipeline import importers
from careertips.pipeline.models import (
    OpportunityImport,
    Stage,
)


class OpportunityImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet or export",
        help_text="A CSV or Excel (.xlsx) file from another tracker or your own spreadsheet; "
        f"up to {importers.MAX_UPLOAD_BYTES // 1024 // 1024} MB and "
        f"{importers.MAX_IMPORT_ROWS:,} rows.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importers.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{importers.MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it and import each part."
            )
        return upload


class ImportMappingForm(forms.Form):
    """What each column of an import holds, and what the file's unknown statuses mean."""

    def __init__(self, *args: Any, batch: OpportunityImport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        first = batch.rows[0]["cells"] if batch.rows else []
        choices = [("", "— leave out —"), *importers.FIELDS.items()]
        for index, header in enumerate(batch.headers):
            sample = first[index] if index < len(first) else ""
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=batch.mapping[index],
                # Django renders help text as HTML: a cell of the file must be escaped.
                help_text=escape(f"e.g. “{sample[:60]}”") if sample else "",
            )
        self.unknown = list(importers.unknown_stages(batch.rows).items())
        for index, (raw, count) in enumerate(self.unknown):
            self.fields[f"stage_{index}"] = forms.ChoiceField(
                label=f"“{raw}” ({count} row{'s' if count != 1 else ''})",
                choices=[("", "Choose a stage…"), *Stage.choices],
                required=False,
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{i}"] for i in range(len(self.batch.headers))]

    def stage_fields(self) -> list[forms.BoundField]:
        return [self[f"stage_{i}"] for i in range(len(self.unknown))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: dict[str, str] = {}
        for index, header in enumerate(self.batch.headers):
            key = cleaned.get(f"column_{index}", "")
            if key and key not in importers.MULTI_COLUMN_FIELDS and key in chosen:
                self.add_error(
                    f"column_{index}",
                    f"“{chosen[key]}” already holds the {importers.FIELDS[key].lower()}; "
                    "choose another field or leave this column out.",
                )
            chosen.setdefault(key, header)
        for key in importers.REQUIRED_FIELDS:
            if key not in chosen:
                self.add_error(
                    None, f"Choose the column that holds the {importers.FIELDS[key].lower()}."
                )
        return cleaned

    @property
    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{i}", "") for i in range(len(self.batch.headers))]

    @property
    def stages(self) -> dict[str, str]:
        answers = {
            raw: self.cleaned_data.get(f"stage_{i}", "") for i, (raw, _) in enumerate(self.unknown)
        }
        return {raw: stage for raw, stage in answers.items() if stage}
