"""The page's inlined assets: the vendored uPlot (with its license) and rlplot's adapter JS and CSS."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..errors import RlplotError

VENDORED_LIBRARY = "uPlot"
VENDORED_VERSION = "1.6.32"
VENDORED_LICENSE = "MIT"


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of a packaged asset, e.g. ``vendor/uPlot.iife.min.js`` or ``static/report.js``."""
    folder, _, file = name.partition("/")
    try:
        text = resources.files(__package__).joinpath(folder, file).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise RlplotError(f"report asset {name} is missing from the installation ({exc})",
                          hint="reinstall rlplot") from None
    if "</script" in text.lower() or "</style" in text.lower() or "<!--" in text:
        # Inlined as-is into <script>/<style>: such text would end the element early.
        raise RlplotError(f"report asset {name} cannot be inlined (holds </script, </style or <!--)")
    return text


def script_assets() -> str:
    """The JavaScript inlined at the end of the page: uPlot under its license, then the adapter."""
    license_text = asset("vendor/uPlot.LICENSE").replace("*/", "* /")
    return (f"/*! {VENDORED_LIBRARY} {VENDORED_VERSION}, vendored unchanged from the npm registry.\n"
            f"{license_text}*/\n{asset('vendor/uPlot.iife.min.js')}\n{asset('static/report.js')}")


def style_assets() -> str:
    """The CSS inlined in the head: uPlot's stylesheet, then the report's."""
    return f"{asset('vendor/uPlot.min.css')}\n{asset('static/report.css')}"
