"""HTML snapshots of every benchmarked page, to prove a change left what they show alone.

    .venv/bin/python bench/snapshot.py write before     # .cache/bench-pages/snapshots/before/
    ... change code ...
    .venv/bin/python bench/snapshot.py compare before   # renders again; exits 1 on a difference
    .venv/bin/python bench/snapshot.py compare before today board   # some pages only

Renders each page once on the large account (bench/pagedb.py, reused between runs so both
sides see the same rows), with the clock frozen at the moment the account was seeded, so
"today", "3 days ago" and due dates come out the same on every run. Per-request values are
masked before writing or comparing: CSRF tokens and CSP nonces. A difference prints a
unified diff of the page (first lines) and the path of the new rendering next to the old.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from pathlib import Path

from pagedb import CACHE, PAGE_NAMES, client_for, pages_named, render, seeded_database

SNAPSHOTS = CACHE / "snapshots"
MASKS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'("X-CSRFToken": ?")[^"]+'), r"\1CSRF"),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]+'), r"\1NONCE"),
    (re.compile(r"(csrf[_-]?token[\"']?\s*[:=]\s*[\"'])[^\"']+", re.I), r"\1CSRF"),
]


def masked(html: str) -> str:
    for pattern, replacement in MASKS:
        html = pattern.sub(replacement, html)
    return html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["write", "compare"])
    parser.add_argument("name", help="the snapshot set, e.g. before")
    parser.add_argument("pages", nargs="*", help=f"of: {', '.join(PAGE_NAMES)} (default: all)")
    args = parser.parse_args()
    os.environ["MEMBER_PAGE_CACHE_SECONDS"] = "0"
    folder = SNAPSHOTS / args.name
    if args.action == "compare" and not folder.is_dir():
        raise SystemExit(f"no snapshot set {folder}: write it first")
    with seeded_database() as seeded:
        import time_machine

        with time_machine.travel(seeded.seeded_at, tick=False):
            rendered = {
                page.name: masked(render(client_for(page, seeded), page.path(seeded.ids)).text)
                for page in pages_named(args.pages or PAGE_NAMES)
            }
    if args.action == "write":
        folder.mkdir(parents=True, exist_ok=True)
        for name, html in rendered.items():
            (folder / f"{name}.html").write_text(html)
        print(f"wrote {len(rendered)} pages to {folder}")
        return 0
    return _compare(folder, rendered)


def _compare(folder: Path, rendered: dict[str, str]) -> int:
    changed = 0
    for name, html in rendered.items():
        old = (folder / f"{name}.html").read_text()
        if old == html:
            print(f"  {name:<19} identical ({len(html)} characters)")
            continue
        changed += 1
        new_path = folder / f"{name}.new.html"
        new_path.write_text(html)
        diff = difflib.unified_diff(
            old.splitlines(), html.splitlines(), f"{name} (before)", f"{name} (now)", lineterm=""
        )
        print(f"  {name:<19} DIFFERS (now in {new_path}):")
        print("\n".join(list(diff)[:40]))
    print(f"{changed} of {len(rendered)} pages differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
