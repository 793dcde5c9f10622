"""Axes: every registered tick format builds its formatter; limits snap to gridlines around the data."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import ticker

from rlplot.choices import X_TICK_FORMATS, Y_TICK_FORMATS
from rlplot.errors import ConfigError, InputError
from rlplot.figure import axes
from rlplot.figure.axes import snapped_limits, x_formatter, y_formatter


@pytest.mark.parametrize("name", X_TICK_FORMATS.names)
def test_every_x_tick_format_builds_a_fresh_formatter(name):
    first, second = x_formatter(name), x_formatter(name)
    assert isinstance(first, ticker.Formatter) and first is not second   # one per axis
    assert getattr(axes, f"x_{name}") is X_TICK_FORMATS.load(name)


@pytest.mark.parametrize("name", Y_TICK_FORMATS.names)
def test_every_y_tick_format_builds_a_fresh_formatter(name):
    first, second = y_formatter(name, 1.0), y_formatter(name, 1.0)
    assert isinstance(first, ticker.Formatter) and first is not second
    assert getattr(axes, f"y_{name}") is Y_TICK_FORMATS.load(name)


def test_x_tick_labels_read_as_each_format_promises():
    assert x_formatter("eng")(2e20, 0) == "200e18"
    assert x_formatter("eng")(0, 0) == "0" and x_formatter("eng")(512, 0) == "512"
    assert x_formatter("si")(250e3, 0) == "250k"
    assert x_formatter("hidden")(2e20, 0) == ""
    assert isinstance(x_formatter("plain"), ticker.ScalarFormatter)
    assert not x_formatter("plain").get_useOffset()
    assert x_formatter("sci").get_useOffset()


def _formatted(formatter, ticks):
    """Tick labels and the offset text ``formatter`` gives an axis spanning ``ticks``."""
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    ax.set_ylim(min(ticks), max(ticks))
    formatter.set_axis(ax.yaxis)
    formatter.set_locs(ticks)
    return [formatter(t, i) for i, t in enumerate(ticks)], formatter.get_offset()


def test_percent_ticks_have_one_decimal_on_a_wide_axis_and_more_on_a_narrow_one():
    labels, _ = _formatted(y_formatter("percent", 1.0, span=0.3), [0.3, 0.35, 0.4])
    assert labels == ["30.0%", "35.0%", "40.0%"]
    labels, _ = _formatted(y_formatter("percent", 100.0, span=40.0), [30.0, 35.0, 40.0])
    assert labels == ["30.0%", "35.0%", "40.0%"]
    labels, _ = _formatted(y_formatter("percent", 1.0, span=0.01), [0.351, 0.353, 0.355])
    assert len(set(labels)) == 3 and all(label.endswith("%") for label in labels)


def test_y_sci_puts_every_axis_in_powers_of_ten_and_auto_only_extreme_ones():
    labels, offset = _formatted(y_formatter("sci", 1.0), [1000.0, 2000.0, 3000.0])
    assert "10^{3}" in offset and "2" in labels[1] and "2000" not in labels[1]
    labels, offset = _formatted(y_formatter("auto", 1.0), [1000.0, 2000.0, 3000.0])
    assert offset == "" and "2000" in labels[1]
    _, offset = _formatted(y_formatter("plain", 1.0), [1e6, 2e6, 3e6])
    assert "10^{6}" in offset


def test_unknown_tick_format_is_a_config_error_with_a_suggestion():
    with pytest.raises(ConfigError, match="did you mean 'sci'"):
        x_formatter("scy")
    with pytest.raises(ConfigError, match="unknown y tick format 'percentage'"):
        y_formatter("percentage", 1.0)


@settings(max_examples=200, deadline=None)
@given(lo=st.floats(-1e12, 1e12), width=st.floats(0, 1e12),
       step=st.one_of(st.none(), st.floats(1e-3, 1e6)))
def test_snapped_limits_enclose_the_data_with_a_margin(lo, width, step):
    hi = lo + width
    low, high, locator = snapped_limits(lo, hi, step)
    assert low <= lo and high >= hi and low < high
    if isinstance(locator, ticker.MultipleLocator):
        for limit in (low, high):
            assert math.isclose(limit / step, round(limit / step), abs_tol=1e-6)


def test_fixed_step_is_kept_only_for_a_readable_number_of_gridlines():
    low, high, locator = snapped_limits(0.31, 0.64, 0.05)
    assert isinstance(locator, ticker.MultipleLocator)
    assert (round(low, 9), round(high, 9)) == (0.3, 0.65)
    _, _, crowded = snapped_limits(0.0, 100.0, 0.5)   # 200 gridlines: automatic ticks instead
    assert isinstance(crowded, ticker.MaxNLocator)


def test_non_finite_limits_fall_back_and_huge_ones_are_refused():
    low, high, locator = snapped_limits(math.nan, 1.0, None)
    assert (low, high) == (0.0, 1.0) and isinstance(locator, ticker.AutoLocator)
    with pytest.raises(InputError, match="too large to draw"):
        snapped_limits(-1e308, 1e308, None)
