"""Driving the OS's Chromium with Playwright, for the report's browser tests and its benchmark.

Never downloads a browser (no ``playwright install``): Playwright is pointed at /usr/bin/chromium,
which ``scripts/install-browser.sh`` installs from the OS packages.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

CHROMIUM = os.environ.get("RLPLOT_CHROMIUM", "/usr/bin/chromium")
# No network for the browser on these machines: nothing that phones home at start-up.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MISSING = (f"no Chromium at {CHROMIUM}: run scripts/install-browser.sh "
           "(apt-get install -y chromium) before the tests")


def launch(playwright):
    """A headless Chromium from the OS packages."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(MISSING)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def js_number(value: float) -> str:
    """How the report's hover writes a logged double: the shortest digits that read back (as
    Python's repr), laid out as JavaScript's ``String`` does (no exponent from 1e-6 to 1e21), and
    from a million on with an exponent as ``toExponential()`` writes it (9.792887e+20, 2e+6)."""
    value = float(value)
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    power = exponent + len(digits) - 1
    if value == 0 or -6 <= power < 6:
        return format(Decimal(repr(value)).normalize(), "f")
    mantissa = "".join(map(str, digits))
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"
