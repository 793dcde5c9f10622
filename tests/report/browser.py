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
    """How JavaScript's ``String(number)`` writes a double: the shortest digits that read back (as
    Python's repr), integers below 1e21 in full with zeros after those digits (9.867559e20 is
    986755900000000000000, not the double's exact 986755900000000016384)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e21:
        return format(Decimal(repr(value)).quantize(Decimal(1)), "f")
    return repr(value)
