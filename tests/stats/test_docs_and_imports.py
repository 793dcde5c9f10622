"""docs/compare.md names every choice and every JSON key; the numbers never import matplotlib."""
from __future__ import annotations

import json
from pathlib import Path

from rlplot import choices

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "compare.md").read_text(encoding="utf-8")


def test_the_page_names_every_choice():
    for registry in (choices.SCORE_METHODS, choices.NORMALIZATIONS, choices.AGGREGATE_METRICS,
                     choices.PROFILE_KINDS, choices.TAU_SCALES, choices.TABLE_FORMATS, choices.COMPARE_FIGURES):
        for name in registry.names:
            assert name in PAGE, (registry.what, name)


def test_the_page_documents_every_json_key():
    schema = json.loads((ROOT / "docs" / "compare-schema.json").read_text(encoding="utf-8"))
    for key in schema["properties"]:
        assert f"`{key}`" in PAGE, key
