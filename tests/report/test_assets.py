"""The vendored uPlot is the pinned npm release, unchanged, and goes into the page with its license."""
from __future__ import annotations

import hashlib
import re
from importlib import resources

from rlplot.report.assets import VENDORED_VERSION, asset, script_assets, style_assets

PINNED = {
    "uPlot.iife.min.js": "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
    "uPlot.min.css": "df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
    "uPlot.LICENSE": "8f989229699b4fe2f1a0432d0e9edc338a8a911e250e2d1b01ecd770a5f5b1bd",
}


def test_vendored_files_are_the_pinned_release():
    vendor = resources.files("rlplot.report").joinpath("vendor")
    readme = vendor.joinpath("README.md").read_text(encoding="utf-8")
    for name, digest in PINNED.items():
        assert hashlib.sha256(vendor.joinpath(name).read_bytes()).hexdigest() == digest
        assert f"{digest}  {name}" in readme
    assert asset("vendor/uPlot.iife.min.js").startswith(f"/*! https://github.com/leeoniya/uPlot (v{VENDORED_VERSION}) */")
    assert f"| {VENDORED_VERSION} |" in readme


def test_scripts_carry_the_license_and_cannot_end_their_element():
    script = script_assets()
    assert "The MIT License (MIT)" in script and "Copyright (c) 2022 Leon Sorokin" in script
    assert script.index("Leon Sorokin") < script.index("var uPlot=")
    assert script.index("var uPlot=") < script.index("rlplot report adapter")
    # The license is one comment: it must close exactly once, before the library.
    assert len(re.findall(r"\*/", script[:script.index("var uPlot=")])) == 2
    for text in (script, style_assets()):
        assert "</script" not in text.lower() and "</style" not in text.lower() and "<!--" not in text
