"""rlplot.insights: dips, knees, threshold crossings and variance growth on curves with known answers."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.data import Series, Smoothed
from rlplot.insights import (analyze, crossing, find_dip, find_knee, rise_region,
                             variance_growth)
from rlplot.smoothing import smooth_series

from .conftest import SAMPLE_JSONL


def curve(y, x=None, method="lowess", **params):
    """A Series and its smoothed curve (LOWESS frac=0.2 unless told otherwise)."""
    y = np.asarray(y, dtype=np.float64)
    x = np.linspace(0.0, 1.0, y.size) if x is None else np.asarray(x, dtype=np.float64)
    params = params or ({"frac": 0.2} if method == "lowess" else {})
    series = Series("y", x, y)
    return series, smooth_series(series, method, params)


def noise(n, sd, seed):
    return np.random.default_rng(seed).normal(0.0, sd, n)


# ---------------------------------------------------------------------------- knee

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("at", [0.4, 0.6, 0.75])
def test_knee_of_a_hinge_is_recovered(at, seed):
    x = np.linspace(0, 1, 400)
    y = np.where(x < at, 1.0, 1.0 + 5.0 * (x - at)) + noise(400, 0.1, seed)
    knee = analyze(*curve(y, x)).knee
    assert knee is not None
    assert abs(knee.x - at) < 0.05
    assert knee.slope_after > knee.slope_before
    assert 0.6 <= knee.confidence <= 1.0


def test_knee_slopes_are_in_data_units():
    x = np.linspace(0, 1e21, 500)
    y = np.where(x < 5e20, 2.0, 2.0 + 4e-20 * (x - 5e20)) + noise(500, 0.02, 1)
    knee = analyze(*curve(y, x)).knee
    assert knee is not None and abs(knee.x - 5e20) < 0.04e21
    assert knee.slope_after == pytest.approx(4e-20, rel=0.25)
    assert abs(knee.slope_before) < 0.5e-20


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n", [30, 300, 3000])
def test_flat_noise_has_no_knee_and_no_dip(n, seed):
    result = analyze(*curve(5.0 + noise(n, 1.0, seed)))
    assert result.knee is None
    assert result.dip is None


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("sd", [0.0, 0.05, 0.3])
def test_linear_curves_have_no_knee_and_no_dip(sd, seed):
    x = np.linspace(0, 1, 300)
    result = analyze(*curve(3.0 + 2.0 * x + noise(300, sd, seed), x))
    assert result.knee is None
    assert result.dip is None


@pytest.mark.parametrize("method", ["lowess", "ema", "none"])
def test_exactly_flat_curve_reports_nothing(method):
    result = analyze(*curve(np.full(50, 7.0), method=method))
    assert result.knee is None and result.dip is None
    assert result.change == pytest.approx(0.0, abs=1e-9)
    assert result.variance is not None and result.variance.ratio is None
    assert result.variance.trend == "unknown"


def test_saturating_curve_is_not_an_onset_of_rise():
    x = np.linspace(0, 1, 300)
    result = analyze(*curve(1 - np.exp(-5 * x) + noise(300, 0.02, 3), x))
    assert result.knee is None and result.dip is None


def test_falling_curve_has_no_dip_or_knee():
    x = np.linspace(0, 1, 300)
    result = analyze(*curve(np.exp(-3 * x) + noise(300, 0.01, 4), x))
    assert result.dip is None and result.knee is None


# ---------------------------------------------------------------------------- dip

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("at", [0.25, 0.45])
def test_dip_is_recovered_with_its_depth(at, seed):
    x = np.linspace(0, 1, 400)
    y = 2.0 - 0.6 * np.exp(-((x - at) / 0.08) ** 2) + 1.5 * np.clip(x - 0.7, 0, None) \
        + noise(400, 0.05, seed)
    series, smoothed = curve(y, x, frac=0.1)
    dip = find_dip(series, smoothed)
    assert dip is not None
    assert abs(dip.x - at) < 0.03
    # depth is measured on the smoothed curve, which rounds the bottom off a little
    assert dip.depth == pytest.approx(0.6, abs=0.12)
    assert dip.depth == pytest.approx(dip.peak_value - dip.value)
    assert dip.peak_x < dip.x
    assert dip.value == pytest.approx(float(np.min(smoothed.y)))


def test_shallow_wiggle_is_not_a_dip():
    x = np.linspace(0, 1, 400)
    # A 0.5 % dent in a curve that rises by 10: well under the 5 % of range rule.
    y = 10 * x - 0.05 * np.exp(-((x - 0.3) / 0.03) ** 2)
    assert find_dip(*curve(y, x, method="none")) is None


def test_dip_needs_raw_points_to_agree():
    # A smoother artefact: the smoothed curve dips but the raw points around it do not.
    x = np.linspace(0, 1, 200)
    y = np.where(x < 0.7, 1.0, 3.0) + noise(200, 0.5, 0)
    series = Series("y", x, y)
    fake = np.where((x > 0.3) & (x < 0.4), 0.0, np.where(x < 0.7, 1.0, 3.0))
    assert find_dip(series, Smoothed(x, fake, "test")) is None


# ---------------------------------------------------------------------------- thresholds

def test_crossing_interpolates_between_points():
    x = np.array([0.0, 10.0, 20.0, 30.0])
    s = np.array([0.0, 1.0, 2.0, 3.0])
    c = crossing(x, s, 1.5, "1.5")
    assert c.x == pytest.approx(15.0)
    assert (c.direction, c.start_side, c.given) == ("up", "below", "1.5")


def test_crossing_downwards_and_never_crossing_report_the_start_side():
    x = np.linspace(0, 1, 11)
    s = 1.0 - x
    down = crossing(x, s, 0.25)
    assert down.x == pytest.approx(0.75) and down.direction == "down" and down.start_side == "above"
    never = crossing(x, s, 5.0)
    assert never.x is None and never.direction is None and never.start_side == "below"
    above = crossing(x, s, -1.0)
    assert above.x is None and above.start_side == "above"


def test_analyze_reports_thresholds_in_order():
    x = np.linspace(0, 1, 101)
    result = analyze(Series("y", x, x), Smoothed(x, x, "none"), (("0.5", 0.5), ("2", 2.0)))
    assert [c.given for c in result.crossings] == ["0.5", "2"]
    assert result.crossings[0].x == pytest.approx(0.5)
    assert result.crossings[1].x is None


# ---------------------------------------------------------------------------- variance

def test_variance_growth_detects_growing_noise():
    x = np.linspace(0, 1, 2000)
    sd = 0.1 + 0.9 * np.clip((x - 0.5) / 0.5, 0, 1)
    series, smoothed = curve(3 * x + np.random.default_rng(0).normal(0, 1, 2000) * sd, x)
    var = variance_growth(series, smoothed)
    assert var.ratio > 4
    assert var.trend == "grows"
    assert var.late > var.early


@pytest.mark.parametrize("seed", range(4))
def test_constant_noise_has_a_spread_ratio_of_about_one(seed):
    x = np.linspace(0, 1, 2000)
    var = variance_growth(*curve(3 * x + noise(2000, 0.2, seed), x))
    assert var.ratio == pytest.approx(1.0, abs=0.15)
    assert var.trend == "stable"
    assert var.early == pytest.approx(0.2, rel=0.1)


def test_shrinking_noise_shrinks_and_too_few_points_give_none():
    x = np.linspace(0, 1, 1000)
    sd = np.where(x < 0.5, 1.0, 0.1)
    var = variance_growth(*curve(np.random.default_rng(1).normal(0, 1, 1000) * sd, x))
    assert var.trend == "shrinks" and var.ratio < 0.5
    assert variance_growth(*curve([1.0, 2.0, 3.0, 4.0])) is None


# ---------------------------------------------------------------------------- the sample run

def test_sample_run_dip_and_knee_of_parallelism():
    from rlplot.pipeline import prepare

    prepared = prepare([str(SAMPLE_JSONL)])
    accuracy = analyze(prepared.runs[0].series[0], prepared.smoothed[0][0])
    parallelism = analyze(prepared.runs[0].series[1], prepared.smoothed[0][1])
    assert accuracy.dip is None and accuracy.knee is None
    assert accuracy.variance.trend == "stable"
    assert parallelism.dip is not None and 0.15e21 <= parallelism.dip.x <= 0.25e21
    assert 7.4 < parallelism.dip.value < 8.0 and parallelism.dip.depth > 0.4
    assert parallelism.knee is not None and 0.7e21 <= parallelism.knee.x <= 0.8e21
    assert parallelism.knee.confidence > 0.9
    assert parallelism.variance.trend == "grows" and parallelism.variance.ratio > 2.5


# ---------------------------------------------------------------------------- robustness

def test_one_point_and_non_finite_curves_are_handled():
    one = analyze(Series("y", np.array([1.0]), np.array([2.0])),
                  Smoothed(np.array([1.0]), np.array([2.0]), "none"))
    assert one.points == 1 and one.first == one.last == 2.0 and one.knee is None
    assert one.variance is None
    x = np.linspace(0, 1, 20)
    s = np.where(x < 0.5, np.nan, x)  # a smoother that could not fit the first half
    result = analyze(Series("y", x, x), Smoothed(x, s, "test"))
    assert result.x_min == pytest.approx(x[10]) and result.points == 10
    with pytest.raises(ValueError):
        analyze(Series("y", x, x), Smoothed(x, np.full(20, np.nan), "test"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=80),
       st.sampled_from(["lowess", "ema", "none"]))
def test_any_curve_gives_consistent_insights(values, method):
    y = np.array(values)
    result = analyze(*curve(y, method=method))
    assert result.min <= result.first <= result.max
    assert result.x_min <= result.min_x <= result.x_max
    if result.dip is not None:
        assert result.x_min < result.dip.x <= result.x_max and result.dip.depth > 0
    if result.knee is not None:
        assert result.x_min < result.knee.x < result.x_max
        assert result.knee.slope_after > max(result.knee.slope_before, 0)


def test_knee_search_starts_at_the_given_x():
    x = np.linspace(0, 1, 400)
    y = np.where(x < 0.6, 1.0, 1.0 + 5.0 * (x - 0.6)) + noise(400, 0.05, 2)
    series, smoothed = curve(y, x)
    assert find_knee(series, smoothed, start_x=0.9) is None or find_knee(series, smoothed, 0.9).x > 0.9
    assert abs(find_knee(series, smoothed, start_x=0.2).x - 0.6) < 0.05


@pytest.mark.parametrize("shape", [
    lambda x: x ** 2,
    lambda x: np.exp(5 * x),
    lambda x: np.maximum(x - 0.6, 0) * 5 + 0.1 * x,
    lambda x: 8.3 + 0.6 * np.clip((x - 0.3) / 0.4, 0, 1) + 5.3 * np.clip((x - 0.68) / 0.32, 0, 1) ** 2.2,
    lambda x: 1 / (1.2 - x),
])
def test_knee_location_matches_the_kneed_reference(shape):
    from kneed import KneeLocator

    from rlplot.insights import KNEE_GRID

    x = np.linspace(0, 1, 2000)
    y = shape(x)
    ours = find_knee(Series("y", x, y), Smoothed(x, y, "none"))
    # kneed sees the same points: the rise region resampled on the same grid
    x0, x1 = rise_region(x, y)
    grid = np.linspace(x0, x1, KNEE_GRID)
    reference = KneeLocator(grid, np.interp(grid, x, y), curve="convex", direction="increasing").knee
    assert ours is not None and reference is not None
    assert abs(ours.x - reference) <= 1.5 * (x1 - x0) / (KNEE_GRID - 1)


def test_rise_region_ends_near_the_top_of_an_s_curve():
    x = np.linspace(0, 1, 1000)
    y = 1 / (1 + np.exp(-(x - 0.3) * 30))        # climbs around 0.3, then a long plateau
    x0, x1 = rise_region(x, y)
    assert x0 == 0.0 and 0.35 < x1 < 0.45
    assert rise_region(x, y, start_x=0.999) is None
    knee = analyze(*curve(y + noise(1000, 0.01, 0), x)).knee
    assert knee is not None and 0.15 < knee.x < 0.3    # the onset of the climb
    assert knee.x < x1


def test_one_x_or_repeated_x_gives_sane_insights():
    same = Series("y", np.zeros(20), np.arange(20.0))
    result = analyze(same, smooth_series(same, "none", {}))
    assert result.knee is None and result.dip is None and result.variance is None
    x = np.repeat(np.arange(10.0), 3)  # repeated steps (several evaluations per step)
    y = np.clip(x - 6, 0, None) * 3 + noise(30, 0.5, 0)
    knee = analyze(*curve(y, x, frac=0.3)).knee
    assert knee is not None and abs(knee.x - 6.0) <= 1.0
