"""Every page of the seeded demo, for a visitor, the member, the coach, the editor and the
administrator, is valid HTML by the Nu HTML checker (vnu): no errors. All pages go to one
java process. `make vnu-deps` puts the checker in .cache/vnu (Debian's Java runs it)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from careertips.core.tests.crawl import every_demo_page

ROOT = Path(__file__).resolve().parents[3]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("java") or not VNU_JAR.exists(),
        reason=f"the Nu HTML checker needs java and {VNU_JAR}: run `make vnu-deps`",
    ),
]


def _check(documents: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    """Runs vnu once over the documents; returns each name's errors."""
    files = {}
    for number, (name, html) in enumerate(documents.items()):
        file = tmp_path / f"page-{number:04d}.html"
        file.write_text(html)
        files[file.name] = name
    java = shutil.which("java") or "java"
    result = subprocess.run(  # noqa: S603 - our own jar on files this test wrote
        [
            java,
            "-Xss8m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, sorted(tmp_path.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


def test_it_serves_valid_html_on_every_demo_page(tmp_path):
    pages = every_demo_page()
    assert len(pages) > 100, "the crawl should reach every part of the demo"
    errors = _check({f"{page.who} {page.path}": page.html for page in pages}, tmp_path)
    assert errors == {}, json.dumps(errors, indent=1)


def test_it_reports_an_invalid_page(tmp_path):
    """The harness really runs the checker: an attribute HTML does not allow is an error."""
    errors = _check({"bad": "<!doctype html><html lang=en><title>x</title><p hx-get=/>x"}, tmp_path)
    assert "hx-get" in " ".join(errors["bad"])
