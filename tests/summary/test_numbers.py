"""Summary numbers: thresholds as written and in data units, and the summary of the sample run."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rlplot.errors import ConfigError
from rlplot.summary import Threshold, parse_threshold, summarize, threshold_value

from ..conftest import SAMPLE_JSONL


def test_threshold_keeps_metric_and_value_as_written():
    assert parse_threshold(" accuracy = 50% ") == Threshold("accuracy", "50%")
    assert parse_threshold("a=1e-3").spec == "a=1e-3"


@pytest.mark.parametrize("text", ["accuracy", "accuracy=", "=0.5", "accuracy=high", "a=nan", "a=inf"])
def test_malformed_thresholds_are_value_errors(text):
    with pytest.raises(ValueError):
        parse_threshold(text)


@given(value=st.floats(0, 1), scale=st.sampled_from([1.0, 100.0]))
def test_a_fraction_and_its_percent_mean_the_same_on_a_percent_panel(value, scale):
    as_percent = threshold_value(f"{value * 100!r}%", scale)
    assert threshold_value(repr(value), scale) == pytest.approx(as_percent, abs=1e-9 * scale)


def test_plain_panels_take_data_units_and_refuse_percent():
    assert threshold_value("50", None) == 50.0
    with pytest.raises(ConfigError, match="needs a percent panel"):
        threshold_value("50%", None, "loss")


def test_sample_run_summary_has_one_metric_per_panel_and_matching_thresholds():
    from rlplot.pipeline import prepare

    result = summarize(prepare([str(SAMPLE_JSONL)]), [parse_threshold("parallelism=10")])
    (run,) = result.runs
    accuracy, parallelism = run.metrics
    assert (accuracy.column, parallelism.column) == ("accuracy", "avg_parallelism")
    assert accuracy.thresholds == () and parallelism.thresholds == (Threshold("parallelism", "10"),)
    assert accuracy.percent_scale == 1.0 and parallelism.percent_scale is None
    assert accuracy.smoothing.startswith("LOWESS") and accuracy.dropped == 0
    assert 0.8e21 < parallelism.insight.crossings[0].x < 0.9e21


def test_a_threshold_naming_no_panel_lists_the_metrics():
    from rlplot.pipeline import prepare

    with pytest.raises(ConfigError, match="no panel shows 'loss'") as info:
        summarize(prepare([str(SAMPLE_JSONL)]), [parse_threshold("loss=1")])
    assert "accuracy" in str(info.value)


def test_an_auto_frac_is_reported_with_the_value_chosen_for_each_panel():
    import json
    import re

    from rlplot.config.schema import Config, SmoothingSpec
    from rlplot.pipeline import prepare
    from rlplot.summary import to_json, to_text

    result = summarize(prepare([str(SAMPLE_JSONL)], Config(smoothing=SmoothingSpec(frac="auto"))))
    chosen = [m.smoothing for m in result.runs[0].metrics]
    assert all(re.fullmatch(r"LOWESS frac=auto→0?\.?[0-9.]+ it=0 delta=auto", text) for text in chosen)
    reported = [m["smoothing"] for m in json.loads(to_json(result))["runs"][0]["metrics"]]
    assert reported == chosen
    assert all(f"smoothed ({text})" in to_text(result) for text in chosen)
    fixed = summarize(prepare([str(SAMPLE_JSONL)]))
    assert fixed.runs[0].metrics[0].smoothing == "LOWESS frac=0.2 it=0 delta=auto"


def test_a_percent_metric_mixing_scales_is_warned_about_in_the_summary(tmp_path):
    from rlplot.pipeline import prepare

    from ..conftest import write_jsonl

    log = write_jsonl(tmp_path / "mixed.jsonl", [
        {"step": i, "accuracy": (0.45 if i < 20 else 46.0) + i / 1000, "parallelism": 8}
        for i in range(40)])
    [run] = summarize(prepare([str(log)])).runs
    assert any(w.startswith(f"{log}: 'accuracy' mixes 0–1 and 0–100 values (e.g. 0.469 and 46.02)")
               for w in run.warnings), run.warnings


def test_values_too_large_to_process_are_one_clear_error_in_the_summary(tmp_path):
    from rlplot.errors import InputError
    from rlplot.pipeline import prepare

    from ..conftest import write_jsonl

    log = write_jsonl(tmp_path / "huge.jsonl", [
        {"step": i, "accuracy": 1e308 if i % 2 else -1e308, "parallelism": 8} for i in range(20)])
    with pytest.raises(InputError, match=r"no usable points for 'accuracy': 20 of 20 from "
                                         r"'accuracy' \(20 too large to draw or smooth, beyond ±1e\+150\)"):
        summarize(prepare([str(log)]))
