"""The stylesheet's colours: every colour is a token declared at :root, and the pairs of
tokens the stylesheet draws text, borders and the focus ring with meet WCAG 2 contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static/core/app.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\([^)]*\)|\bhsla?\([^)]*\)")
NAMED = re.compile(
    r"(?<![-\w])(white|black|red|green|blue|gray|grey|orange|yellow|purple)(?![-\w])"
)

# Text (4.5:1): a text colour token on the surfaces it is drawn on.
TEXT = [
    ("ink", "bg"), ("ink", "card"), ("ink", "subtle-bg"), ("ink", "info-bg"), ("ink", "ok-bg"),
    ("ink", "warn-bg"), ("ink", "danger-bg"), ("ink", "stage-interview-bg"), ("ink", "column-bg"),
    ("muted", "bg"), ("muted", "card"), ("muted", "subtle-bg"), ("muted", "neutral-bg"),
    ("muted", "column-bg"), ("muted", "closed-bg"), ("muted", "danger-bg"),
    ("brand", "bg"), ("brand", "card"), ("brand", "info-bg"), ("brand", "column-bg"),
    ("brand-ink", "brand"), ("brand-ink", "danger"), ("brand-ink", "accent"),
    ("danger", "card"), ("danger", "bg"), ("danger", "danger-bg"), ("danger", "danger-tint"),
    ("warn", "card"), ("warn", "warn-bg"), ("warn", "warn-tint"),
    ("ok-ink", "card"), ("ok-ink", "ok-bg"), ("accent", "card"), ("accent", "bg"),
    ("lede-ink", "bg"), ("lede-ink", "card"), ("chart-ink", "card"), ("chart-muted", "card"),
    ("muted", "preview-bg"), ("ink", "script-bg"), ("ink", "warn-tint"),
]  # fmt: skip
# Large text, field borders, the focus ring and other marks that carry meaning (3:1).
NON_TEXT = [
    ("field-line", "card"), ("focus", "bg"), ("focus", "card"), ("focus", "column-bg"),
    ("focus", "subtle-bg"), ("focus", "info-bg"), ("focus-on-brand", "brand"),
    ("brand", "column-bg"), ("accent", "card"), ("danger", "card"), ("warn", "card"),
    ("muted", "card"), ("event", "card"), ("brand-ink", "brand"),
]  # fmt: skip


def _tokens(css: str) -> tuple[dict[str, str], str]:
    """The :root block's colour custom properties, and the stylesheet without that block."""
    root = re.search(r":root\s*\{(.*?)\n\}", css, re.S)
    assert root, "app.css declares its tokens in a :root block"
    tokens = {
        name: value.strip()
        for name, value in re.findall(r"--([\w-]+):\s*([^;]+);", root.group(1))
        if COLOUR.fullmatch(value.strip())
    }
    return tokens, css[: root.start()] + css[root.end() :]


def _rgb(value: str) -> tuple[float, float, float, float]:
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return (*channels, alpha)  # type: ignore[return-value]
    parts = [float(p) for p in re.findall(r"[\d.]+", value)]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def luminance(value: str) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = _rgb(value)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_it_draws_every_colour_from_a_token():
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    tokens, rest = _tokens(css)
    assert len(tokens) > 20
    raw = [
        line.strip()
        for line in rest.splitlines()
        if COLOUR.search(line) or NAMED.search(re.sub(r"white-space:[^;]*", "", line))
    ]
    assert raw == []


def test_it_uses_only_declared_tokens():
    css = CSS.read_text()
    tokens, rest = _tokens(css)
    declared = set(re.findall(r"--([\w-]+):", css))
    used = set(re.findall(r"var\(--([\w-]+)", rest))
    assert used - declared == set()


@pytest.mark.parametrize(("pairs", "minimum"), [(TEXT, 4.5), (NON_TEXT, 3.0)])
def test_it_meets_wcag_contrast_for_the_token_pairs_in_use(pairs, minimum):
    tokens, _ = _tokens(CSS.read_text())
    low = {
        f"{fg} on {bg}": round(contrast(tokens[fg], tokens[bg]), 2)
        for fg, bg in pairs
        if contrast(tokens[fg], tokens[bg]) < minimum
    }
    assert low == {}


def test_it_checks_every_pair_a_rule_sets_together():
    """A rule that sets both a text colour and a background: that pair is in TEXT."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    _, rest = _tokens(css)
    listed = set(TEXT)
    missing = set()
    for body in re.findall(r"\{([^{}]*)\}", rest):
        fg = re.search(r"(?<![-\w])color:\s*var\(--([\w-]+)\)", body)
        bg = re.search(r"background(?:-color)?:\s*var\(--([\w-]+)\)", body)
        if fg and bg and (fg.group(1), bg.group(1)) not in listed:
            missing.add((fg.group(1), bg.group(1)))
    assert missing == set()


def test_it_computes_contrast_as_wcag_does():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)
