"""Exponential moving averages: TensorBoard's EMA (per point) and the time-weighted TWEMA (per x unit)."""
from __future__ import annotations

import math

import numpy as np

from .method import Method, on_finite, wider_than_x_range
from .params import check_positive_or_none, check_range, is_number, scale_or_default


def smooth_ema(x: np.ndarray, y: np.ndarray, *, weight: float = 0.6) -> np.ndarray:
    """TensorBoard's EMA: ``last = last*w + (1-w)*y; out = last / (1 - w**k)``; NaN/inf pass through."""
    check_range("ema", "weight", weight, is_number(weight) and 0 <= weight < 1, "0 <= weight < 1")
    weight = float(weight)
    # TensorBoard leaves a constant series as is (on_finite does).
    return on_finite(None, y, lambda _, values: _debiased_ema(values, weight))


def _debiased_ema(values: np.ndarray, weight: float) -> np.ndarray:
    from scipy.signal import lfilter

    last = lfilter([1.0 - weight], [1.0, -weight], values)
    if weight > 0:
        # 1 - w**k rounds to exactly 1.0 once w**k < 2**-54: only the head needs dividing.
        head = min(values.size, int(math.ceil(-54 * math.log(2) / math.log(weight))) + 1)
        last[:head] /= 1.0 - np.power(weight, np.arange(1, head + 1, dtype=np.float64))
    return last


def smooth_twema(x: np.ndarray, y: np.ndarray, *, halflife: float | None = None) -> np.ndarray:
    """``out_i = Σ_j≤i 2^(-(x_i-x_j)/h)·y_j / Σ_j≤i 2^(-(x_i-x_j)/h)``: equals TensorBoard's EMA
    with ``weight = 2^(-Δ/h)`` on x evenly spaced by Δ; ``halflife=None`` is 2 % of the x range."""
    check_positive_or_none("twema", "halflife", halflife)

    def fit(xs, values):
        rate = math.log(2.0) / scale_or_default(halflife, xs)
        return _decayed_mean(xs, values, rate)
    return on_finite(x, y, fit)


def _decayed_mean(x: np.ndarray, v: np.ndarray, rate: float, max_exponent: float = 600.0) -> np.ndarray:
    """``Σ_j≤i e^(-rate·(x_i-x_j))·v_j / Σ_j≤i e^(-rate·(x_i-x_j))`` by cumulative sums in blocks.

    Inside a block ``e^(rate·(x_j - x_start))`` stays below e^600, so the sums cannot
    overflow; the running sums of the previous block carry over, decayed.
    """
    t = (x - x[0]) * rate
    out = np.empty_like(v)
    block_id = (t * (1.0 / max_exponent)).astype(np.int64)   # t >= 0: truncation is floor
    edges = np.concatenate(([0], np.flatnonzero(np.diff(block_id)) + 1, [len(t)]))
    carry_num = carry_den = 0.0
    carry_t = t[0]
    for lo, hi in zip(edges[:-1], edges[1:]):
        grow = np.exp(t[lo:hi] - t[lo])
        num = np.cumsum(v[lo:hi] * grow)
        den = np.cumsum(grow)
        if carry_den:
            back = np.exp(t[lo] - carry_t)   # the carry, decayed to this block's start
            num += carry_num / back
            den += carry_den / back
        out[lo:hi] = num / den
        # Re-base the running sums to this block's last x for the next block.
        carry_num, carry_den = num[-1] / grow[-1], den[-1] / grow[-1]
        carry_t = t[hi - 1]
    return out


EMA = Method(smooth_ema, ("weight",))
TWEMA = Method(smooth_twema, ("halflife",),
               wider_than_x_range("twema", "halflife", "longer than", "a running mean"))
