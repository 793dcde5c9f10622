"""rlplot.summary: the documented JSON schema, threshold parsing and units, Markdown escaping."""
from __future__ import annotations

import json

import pytest

from rlplot.summary import Threshold, parse_threshold, summarize, threshold_value, to_markdown

from ..conftest import ROOT, seed_like_records, write_jsonl

SCHEMA = ROOT / "docs" / "summary-schema.json"

JSON_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float),
              "boolean": bool, "null": type(None)}


def check(value, schema: dict, path: str = "$") -> None:
    """A small JSON-Schema check (type, const, enum, properties, required, additionalProperties, items)."""
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        ok = any(isinstance(value, JSON_TYPES[t]) and not (t in ("integer", "number")
                                                          and isinstance(value, bool))
                 for t in types)
        assert ok, f"{path}: {value!r} is not {types}"
    if "const" in schema:
        assert value == schema["const"], f"{path}: {value!r} != {schema['const']!r}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        missing = set(schema.get("required", ())) - set(value)
        assert not missing, f"{path}: missing {sorted(missing)}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            assert not extra, f"{path}: undocumented keys {sorted(extra)}"
        for key, item in value.items():
            check(item, props[key], f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            check(item, schema["items"], f"{path}[{index}]")


def schema_keys(schema: dict, path: str = "") -> set[str]:
    """Every documented key path, e.g. ``runs[].metrics[].knee.x``."""
    keys = set()
    for key, sub in schema.get("properties", {}).items():
        keys.add(path + key)
        keys |= schema_keys(sub, path + key + ".")
    if "items" in schema:
        keys |= schema_keys(schema["items"], path[:-1] + "[]." if path else "[].")
    return keys


# Changing the JSON output is a deliberate act: update docs/summary-schema.json, this list and
# (for anything but an addition) schema_version.
FROZEN_KEYS = {
    "schema_version", "rlplot_version", "x_label", "thresholds", "runs",
    "runs[].label", "runs[].source", "runs[].rows", "runs[].warnings", "runs[].metrics",
    "runs[].kind", "runs[].group", "runs[].config",
    *(f"runs[].metrics[].{k}" for k in (
        "panel", "metric", "column", "label", "percent_scale", "smoothing", "points", "dropped",
        "x_min", "x_max", "first", "last", "min", "min_x", "max", "max_x", "change", "thresholds",
        "dip", "knee", "variance",
        "thresholds[].given", "thresholds[].value", "thresholds[].crossed", "thresholds[].x",
        "thresholds[].direction", "thresholds[].start_side",
        "dip.x", "dip.value", "dip.depth", "dip.peak_x", "dip.peak_value",
        "knee.x", "knee.value", "knee.slope_before", "knee.slope_after", "knee.confidence",
        "variance.early", "variance.late", "variance.ratio", "variance.trend")),
}


def test_schema_document_lists_exactly_the_frozen_keys():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema_keys(schema) == FROZEN_KEYS
    assert schema["properties"]["schema_version"]["const"] == 1



# ---------------------------------------------------------------------------- thresholds

@pytest.mark.parametrize("given", ["0.5", "50", "50%", "50.0 %".replace(" ", "")])
@pytest.mark.parametrize("scale", [1.0, 100.0])
def test_percent_threshold_forms_agree(given, scale):
    assert threshold_value(given, scale) == pytest.approx(0.5 * scale)


def test_plain_panel_thresholds_are_data_units():
    assert threshold_value("0.5", None) == 0.5
    assert threshold_value("50", None) == 50.0
    from rlplot.errors import ConfigError
    with pytest.raises(ConfigError, match="percent panel"):
        threshold_value("50%", None, "parallelism")


def test_parse_threshold_splits_metric_and_value_and_refuses_inf():
    assert parse_threshold(" accuracy = 50% ") == Threshold("accuracy", "50%")
    assert parse_threshold("a=1e-3").given == "1e-3"
    with pytest.raises(ValueError):
        parse_threshold("a=inf")


# ---------------------------------------------------------------------------- formats

def test_markdown_escapes_pipes(tmp_path):
    from rlplot.config import Config, PanelStyle
    from rlplot.pipeline import prepare

    log = write_jsonl(tmp_path / "r.jsonl", seed_like_records())
    config = Config(panels=(PanelStyle(metric="accuracy", y_label="acc | train"),))
    out = to_markdown(summarize(prepare([str(log)], config)))
    assert "acc \\| train" in out
