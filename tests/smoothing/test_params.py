"""Parameter checks: every bad value names the method, the parameter, the value and what is allowed."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.errors import ConfigError
from rlplot.smoothing import check_params
from rlplot.smoothing.params import is_integer, is_number, scale_or_default


@pytest.mark.parametrize("method,param,value", [
    ("lowess", "frac", 0.0), ("lowess", "frac", 1.5), ("lowess", "it", -1), ("lowess", "it", 1.5),
    ("lowess", "delta", -1.0), ("lowess", "delta", "fast"), ("lowess", "bandwidth", 0.0),
    ("ema", "weight", 1.0), ("ema", "weight", -0.1), ("twema", "halflife", -2.0),
    ("twema", "halflife", float("nan")), ("rolling", "window", 0), ("rolling", "window", 4),
    ("rolling", "window", 2.0), ("gaussian", "sigma", 0.0)])
def test_bad_parameters_name_method_parameter_value_and_range(method, param, value):
    with pytest.raises(ConfigError) as info:
        check_params(method, {param: value})
    text = str(info.value)
    assert method in text and param in text and repr(value) in text and "allowed:" in text


def test_good_parameters_and_other_methods_keys_pass():
    check_params("rolling", {"window": 5, "frac": 99})   # frac belongs to lowess: not read
    check_params("lowess", {"frac": 1, "it": np.int64(3), "delta": "auto", "bandwidth": None})


def test_unknown_method_suggests_the_closest_registered_one():
    with pytest.raises(ConfigError, match="unknown smoothing method 'loess'") as info:
        check_params("loess", {})
    assert "did you mean 'lowess'?" in str(info.value) and "twema" in str(info.value)


def test_numbers_exclude_bools_and_non_finite_values():
    assert is_number(2) and is_number(np.float32(0.5)) and is_number(1e300)
    assert not is_number(True) and not is_number(float("inf")) and not is_number("1")
    assert is_integer(np.int32(3)) and not is_integer(False) and not is_integer(3.0)


def test_missing_scale_defaults_to_two_percent_of_the_x_range_or_one():
    assert scale_or_default(7.0, np.array([0.0, 1.0])) == 7.0
    assert scale_or_default(None, np.array([10.0, 60.0])) == pytest.approx(1.0)
    assert scale_or_default(None, np.array([3.0, 3.0])) == 1.0
