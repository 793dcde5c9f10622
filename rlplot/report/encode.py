"""Turning report data into text that is safe and compact inside one HTML file.

Numbers: logged points are written exactly (the shortest text that parses back to the same
double, so the hover shows the logged value itself); smoothed curves and bands are rounded to
``CURVE_DIGITS`` significant digits (a relative error of 5e-8: below a pixel even zoomed in a
thousandfold, and less than half the bytes). Non-finite values become ``null`` (a gap).
"""
from __future__ import annotations

import json
import re
from typing import Iterable

import numpy as np

CURVE_DIGITS = 7
_INTEGRAL = re.compile(r"\.0(?=[,\]])")  # "12800.0" -> "12800": the same double, shorter
# Only these break out of a <script> element or confuse a JavaScript parser; as \u escapes
# they stay the same string for JSON.parse.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def exact_numbers(values: np.ndarray) -> str:
    """A JSON array of ``values`` (shape (n,)) that parses back to the same doubles; NaN/inf as null."""
    array = np.asarray(values, dtype=np.float64)
    items: list = array.tolist()
    if not np.isfinite(array).all():
        finite = np.isfinite(array).tolist()
        items = [v if ok else None for v, ok in zip(items, finite)]
    return _INTEGRAL.sub("", json.dumps(items, separators=(",", ":")))


def rounded_numbers(values: np.ndarray, digits: int = CURVE_DIGITS) -> str:
    """A JSON array of ``values`` (shape (n,)) rounded to ``digits`` significant digits; NaN/inf as null."""
    array = np.asarray(values, dtype=np.float64)
    spec = f".{digits}g"
    return "[" + ",".join(format(v, spec) if np.isfinite(v) else "null" for v in array.tolist()) + "]"


def script_json(value: object) -> str:
    """JSON text to place inside a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no text from a log or a path can
    close the element (``</script>``) or open a comment; ``JSON.parse`` reads the same value.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


def raw_json_array(parts: Iterable[str]) -> str:
    """Join already-encoded JSON texts into one JSON array text."""
    return "[" + ",".join(parts) + "]"


_PROLOG = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")


def compact_svg(svg: str) -> str:
    """The SVG without what a viewer never shows: XML prolog, DOCTYPE, <metadata>, comments and the
    indentation between tags (the page's own provenance table replaces the figure's metadata)."""
    svg = _PROLOG.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _COMMENT.sub("", svg)
    return _BETWEEN_TAGS.sub("><", svg).strip()


_URL_ESCAPES = {"%": "%25", "#": "%23", "\n": "%0A", "\r": "%0D", "\t": "%09", "'": "%27",
                "&": "&amp;"}
_URL_ESCAPES_RE = re.compile("[%#\n\r\t'&]")


def svg_data_uri(svg: str) -> str:
    """A ``data:image/svg+xml`` URL of ``svg``, ready for a single-quoted HTML attribute.

    An SVG shown through ``<img>`` can run no script and its ids cannot clash with another
    chart's (matplotlib's fixed-salt ids repeat between figures). Only ``%``, ``#``, ``'`` and
    line breaks are percent-encoded (the URL parser would drop or misread them, or they would end
    the attribute) and ``&`` is HTML-escaped: far smaller than base64, and matplotlib's ``"``
    stay as they are.
    """
    body = _URL_ESCAPES_RE.sub(lambda m: _URL_ESCAPES[m.group()], compact_svg(svg))
    return "data:image/svg+xml;charset=utf-8," + body


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def section_ids(titles: Iterable[str]) -> tuple[str, ...]:
    """Unique, stable HTML ids for sections: ``s<index>-<slug of title>`` (slug at most 40 chars)."""
    ids = []
    for index, title in enumerate(titles):
        slug = _SLUG_UNSAFE.sub("-", title.lower()).strip("-")[:40].strip("-")
        ids.append(f"s{index}-{slug}" if slug else f"s{index}")
    return tuple(ids)
