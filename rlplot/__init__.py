"""rlplot: publication-quality figures of reinforcement-learning training logs.

The public API is loaded lazily so that ``import rlplot`` (and ``rlplot --help``)
stay fast: ``read_log``, ``read_tables``, ``inspect_log``, ``load_config``, ``prepare``, ``render``, ``save_figure``.
"""
from ._version import __version__

_API = {
    "read_log": ("rlplot.io", "read_log"),
    "read_tables": ("rlplot.io", "read_tables"),
    "inspect_log": ("rlplot.inspect", "inspect_log"),
    "load_config": ("rlplot.config", "load_config"),
    "Config": ("rlplot.config", "Config"),
    "prepare": ("rlplot.pipeline", "prepare"),
    "render": ("rlplot.pipeline", "render"),
    "save_figure": ("rlplot.figure.save", "save_figure"),
}

__all__ = ["__version__", *_API]


def __getattr__(name):
    if name in _API:
        import importlib

        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'rlplot' has no attribute {name!r}")
