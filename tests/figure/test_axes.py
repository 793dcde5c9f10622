"""Axes: every registered tick format builds its formatter; limits snap to gridlines around the data."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import ticker

from rlplot.choices import X_TICK_FORMATS, Y_TICK_FORMATS
from rlplot.errors import ConfigError, InputError
from rlplot.figure import axes
from rlplot.figure.axes import (count_label, resolve_x_format, resolve_y_format, set_x_format,
                                snapped_limits, x_formatter, y_formatter)


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
    assert offset == "\u00d710\u00b3" and "2" in labels[1] and "2000" not in labels[1]
    labels, offset = _formatted(y_formatter("auto", 1.0), [1000.0, 2000.0, 3000.0])
    assert offset == "" and "2000" in labels[1]
    _, offset = _formatted(y_formatter("plain", 1.0), [1e6, 2e6, 3e6])
    assert offset == "\u00d710\u2076"


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


# ---------------------------------------------------------------- counts, time, and the auto rule

def test_count_labels_read_like_step_counters():
    assert x_formatter("count").format_ticks([0, 250e3, 500e3, 750e3, 1e6, 1.25e6]) == \
        ["0", "250k", "500k", "750k", "1M", "1.25M"]
    assert x_formatter("count").format_ticks([0, 2e9, 4e9]) == ["0", "2B", "4B"]
    assert x_formatter("count").format_ticks([-2000, 0, 2000]) == ["-2k", "0", "2k"]
    assert x_formatter("count").format_ticks([0, 0.5, 1, 1.5]) == ["0", "0.5", "1", "1.5"]
    assert y_formatter("count", 1.0).format_ticks([1.5e12, 3e12]) == ["1.5T", "3T"]
    assert count_label(999) == "999" and count_label(1000) == "1k" and count_label(123456) == "123.456k"


@settings(max_examples=200, deadline=None)
@given(lo=st.floats(-1e13, 1e13), width=st.floats(1e-3, 1e13))
def test_count_labels_tell_every_tick_apart_and_read_back_to_it(lo, width):
    ticks = ticker.MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, lo + width)
    labels = x_formatter("count").format_ticks(ticks)
    assert len(set(labels)) == len(labels)
    units = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    step = float(np.min(np.diff(ticks)))
    for tick, label in zip(ticks, labels):
        value = float(label[:-1]) * units[label[-1]] if label[-1] in units else float(label)
        assert abs(value - tick) <= 1e-3 * step + 1e-12 * abs(tick)   # float64 reading back


def _tick_labels(kind: str, start: float, span: float):
    """The x tick labels and offset text an Agg axis from ``start`` to ``start + span`` draws."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(start, start + span)
    set_x_format(ax.xaxis, kind)
    fig.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels()], ax.xaxis.get_offset_text().get_text()


@pytest.mark.parametrize("span,expected", [
    (10, ["0", "2s", "4s", "6s", "8s", "10s"]),
    (300, ["0", "1min", "2min", "3min", "4min", "5min"]),
    (5400, ["0", "15min", "30min", "45min", "60min", "75min", "90min"]),
    (3 * 3600, ["0", "0.5h", "1h", "1.5h", "2h", "2.5h", "3h"]),
    (2 * 86400, ["0", "6h", "12h", "18h", "24h", "30h", "36h", "42h", "48h"]),
    (21 * 86400, ["0", "5d", "10d", "15d", "20d"]),
])
def test_duration_ticks_fall_on_whole_units_and_say_the_unit(span, expected):
    labels, offset = _tick_labels("duration", 0.0, span)
    assert labels == expected and offset == ""


MARCH_5_2024_14H = 1709647200.0   # 2024-03-05 14:00:00 UTC


@pytest.mark.parametrize("span,labels,offset", [
    (20, ["14:00", "05", "10", "15", "20"], "2024-Mar-05 14:00"),      # seconds
    (300, ["14:00", "14:01", "14:02", "14:03", "14:04", "14:05"], "2024-Mar-05"),
    (4 * 3600, ["14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30", "18:00"],
     "2024-Mar-05"),
    (2 * 86400, ["18:00", "Mar-06", "06:00", "12:00", "18:00", "Mar-07", "06:00", "12:00"],
     "2024-Mar-07"),
    (21 * 86400, ["09", "13", "17", "21", "25"], "2024-Mar"),           # days of the month
])
def test_date_ticks_are_utc_times_with_the_date_said_once(span, labels, offset):
    got, got_offset = _tick_labels("date", MARCH_5_2024_14H, span)
    assert got == labels and got_offset == offset


@pytest.mark.parametrize("x_name,is_flops,values,expected", [
    ("rl_flops", True, None, "sci"),
    ("step", False, None, "count"),
    ("time/total_timesteps", False, None, "count"),
    ("TotalEnvInteracts", False, None, "count"),
    ("Episode", False, None, "count"),
    ("trainer/global_step", False, None, "count"),
    ("x", False, [0.0, 1.0, 2.0], "count"),                 # the row number
    ("Wall time", False, [1.7e9, 1.7e9 + 60], "date"),
    ("_timestamp", False, None, "date"),
    ("time/time_elapsed", False, [0.0, 2.0, 4.5], "duration"),
    ("_runtime", False, [0.0, 30.5], "duration"),
    ("learning_rate", False, [1e-4, 3e-4], "sci"),
    ("progress", False, None, "sci"),
])
def test_auto_x_format_follows_the_column(x_name, is_flops, values, expected):
    assert resolve_x_format("auto", x_name, is_flops, values) == expected
    assert resolve_x_format("plain", x_name, is_flops, values) == "plain"   # a choice is kept


@pytest.mark.parametrize("metric,values,expected", [
    ("rollout/ep_len_mean", [180.5, 200.25], "count"),
    ("EpLen", [150.0], "count"),
    ("num_tokens", [1.2e6, 3.4e6], "count"),
    ("response_length/mean", [412.0], "count"),
    ("episodes_total", [12000, 13000], "count"),
    ("env_interactions", [20000.0, 40000.0], "count"),    # integers from 10,000 up
    ("avg_parallelism", [8.48, 13.9], "auto"),            # the seed's second panel stays as it is
    ("accuracy", [0.35, 0.64], "auto"),
    ("reward", [3.0, 7.0], "auto"),                       # small integers: plain already reads well
])
def test_auto_y_format_picks_counts_for_count_like_metrics(metric, values, expected):
    assert resolve_y_format("auto", metric, np.array(values)) == expected
    assert resolve_y_format("percent", metric, np.array(values)) == "percent"


def test_auto_without_a_column_is_the_seed_chart_scientific_format():
    labels, offset = _formatted(x_formatter("auto"), [2e20, 4e20, 6e20])
    reference, reference_offset = _formatted(x_formatter("sci"), [2e20, 4e20, 6e20])
    assert (labels, offset) == (reference, reference_offset) and offset == "\u00d710\u00b2\u2070"


@pytest.mark.parametrize("locs, expected", [
    ([0.0, 2e20, 4e20, 1e21], "\u00d710\u00b2\u00b9"),
    ([0.0, 2e-4, 4e-4], "\u00d710\u207b\u2074"),
    ([1.0, 2.0, 3.0], ""),
])
def test_scientific_offsets_read_as_powers_of_ten_in_plain_text(locs, expected):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    ax.set_xlim(min(locs), max(locs))
    fmt = axes.x_sci()
    ax.xaxis.set_major_formatter(fmt)
    fmt.set_locs(locs)
    assert fmt.get_offset() == expected
    assert all("$" not in fmt(v) for v in locs)
