"""What every method shares: declared parameters, NaN/inf passing through, the wider-than-x-range note."""
from __future__ import annotations

import numpy as np

from rlplot.smoothing.method import Method, on_finite, span, wider_than_x_range


def test_method_reads_only_its_declared_parameters():
    method = Method(lambda x, y, **p: y, ("window",))
    assert method.used({"window": 5, "frac": 0.2}) == {"window": 5}
    assert method.used({}) == {}


def test_non_finite_values_stay_in_place_and_the_rest_is_smoothed_alone():
    y = np.array([1.0, np.nan, 3.0, np.inf, 5.0])
    seen = []

    def smooth(x, values):
        seen.append((x.copy(), values.copy()))
        return values * 10

    out = on_finite(np.arange(5.0), y, smooth)
    np.testing.assert_array_equal(out, [10.0, np.nan, 30.0, np.inf, 50.0])
    np.testing.assert_array_equal(seen[0][0], [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(seen[0][1], [1.0, 3.0, 5.0])


def test_a_constant_or_empty_series_is_returned_without_smoothing():
    def fail(x, values):
        raise AssertionError("smoothed a constant series")

    np.testing.assert_array_equal(on_finite(None, np.full(4, 2.5), fail), np.full(4, 2.5))
    np.testing.assert_array_equal(on_finite(None, np.array([2.0, np.nan, 2.0]), fail),
                                  [2.0, np.nan, 2.0])
    assert on_finite(None, np.array([]), fail).size == 0


def test_width_note_appears_only_beyond_the_x_range():
    notes = wider_than_x_range("gaussian", "sigma", "wider than", "the mean")
    x = np.array([0.0, 4.0])
    assert notes(x, x, sigma=4.0) == () and notes(x, x) == () and notes(x[:1], x[:1], sigma=9.0) == ()
    assert notes(x, x, sigma=5.0) == ("gaussian: sigma=5 is wider than the x range (4); "
                                      "the curve is close to the mean",)
    assert span(x) == 4.0 and span(np.array([])) == 0.0
