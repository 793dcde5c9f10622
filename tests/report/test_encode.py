"""Compact, exact and safe text for the page: numbers, JSON inside <script>, SVG data URLs, ids."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import unquote

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rlplot.report.encode import (compact_svg, exact_numbers, rounded_numbers, script_json,
                                  section_ids, svg_data_uri)

any_floats = st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=50)


@given(any_floats)
def test_exact_numbers_parse_back_to_the_same_doubles(values):
    parsed = json.loads(exact_numbers(np.array(values, dtype=float)))
    assert len(parsed) == len(values)
    for got, want in zip(parsed, values):
        if np.isfinite(want):
            assert float(got) == want
        else:
            assert got is None


def test_exact_numbers_write_whole_numbers_without_a_fraction():
    assert exact_numbers(np.array([12800.0, -3.0, 0.5, 1e21, 0.1 + 0.2, np.nan])) == \
        "[12800,-3,0.5,1e+21,0.30000000000000004,null]"


@given(any_floats)
def test_rounded_numbers_keep_seven_significant_digits(values):
    parsed = json.loads(rounded_numbers(np.array(values, dtype=float)))
    for got, want in zip(parsed, values):
        if np.isfinite(want):
            assert abs(got - want) <= 5e-7 * abs(want)
        else:
            assert got is None


def test_rounded_numbers_are_shorter_than_exact_ones():
    values = np.random.default_rng(0).random(1000)
    assert len(rounded_numbers(values)) < 0.6 * len(exact_numbers(values))


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12))
def test_script_json_cannot_close_its_element_and_reads_back_the_same(value):
    text = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_script_json_escapes_a_closing_script_tag():
    text = script_json({"run": "</script><script>alert(1)</script>"})
    assert "</script" not in text.lower()
    assert "\\u003c/script\\u003e" in text


SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">
 <metadata>
  <rdf:RDF><dc:title>run &amp; "quoted" 100% #1</dc:title></rdf:RDF>
 </metadata>
 <!-- a comment with a run name -->
 <g id="m1">
  <path d="M 0 0 
L 5 5 " style="fill: #1f77b4"/>
  <text>a &amp; b 50% #2</text>
 </g>
</svg>
"""


def test_compact_svg_drops_what_a_viewer_never_shows():
    compact = compact_svg(SVG)
    assert compact.startswith("<svg ") and compact.endswith("</svg>")
    for gone in ("<?xml", "DOCTYPE", "<metadata", "<!--", "\n <"):
        assert gone not in compact
    assert '<path d="M 0 0 \nL 5 5 " style="fill: #1f77b4"/>' in compact  # attribute text untouched
    assert "<text>a &amp; b 50% #2</text>" in compact


def test_svg_data_uri_decodes_to_the_compact_svg():
    uri = svg_data_uri(SVG)
    prefix = "data:image/svg+xml;charset=utf-8,"
    assert uri.startswith(prefix)
    body = uri[len(prefix):]
    assert not re.search("['#\n\r\t]", body)  # nothing that ends the attribute or the URL early
    assert unquote(html.unescape(body)) == compact_svg(SVG)


@given(st.lists(st.text(), max_size=30))
def test_section_ids_are_unique_and_plain(titles):
    ids = section_ids(titles)
    assert len(ids) == len(titles) == len(set(ids))
    assert all(re.fullmatch(r"s\d+(-[a-z0-9]+(-[a-z0-9]+)*)?", i) for i in ids)
    assert section_ids(titles) == ids


def test_section_ids_read_like_their_titles():
    assert section_ids(["CartPole seed=1", "<script>", "???"]) == \
        ("s0-cartpole-seed-1", "s1-script", "s2")
