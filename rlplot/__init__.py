"""rlplot: publication-quality figures of reinforcement-learning training logs.

The public API is loaded lazily so that ``import rlplot`` (and ``rlplot --help``)
stay fast. In a notebook (``rlplot.api``, docs/notebook.md): ``plot``, ``summary``,
``inspect``, ``compare``, ``report`` take DataFrames or log paths; ``Plot`` is what ``plot``
returns, ``RlplotWarning`` the class of its warnings, ``RlplotError`` (``InputError``,
``ColumnError``, ``ConfigError``, ``OutputError``) of its errors. The stages: ``read_log``,
``read_tables``, ``inspect_log``, ``load_config``, ``prepare``, ``prepare_runs``, ``render``,
``save_figure``.

``summary``, ``inspect``, ``compare`` and ``report`` are also the names of rlplot's modules
for those commands: each of those modules can be called, and a call is the notebook
function (``rlplot.summary(df)`` is ``rlplot.api.summary(df)``), while
``rlplot.summary.to_text`` and ``import rlplot.compare`` stay what they were.
"""
import sys
import types

from ._version import __version__

# Modules whose call is a notebook function of rlplot.api (see the module docstring).
_CALLABLE = ("summary", "inspect", "compare", "report")


class _CallableModule(types.ModuleType):
    """One of rlplot's command modules, callable as the notebook function of the same name."""

    def __call__(self, *args, **kwargs):
        from . import api

        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


class _Package(types.ModuleType):
    """The ``rlplot`` package: makes each ``_CALLABLE`` submodule callable as it is imported
    (the import system sets it on its package with setattr)."""

    def __setattr__(self, name, value):
        if name in _CALLABLE and type(value) is types.ModuleType and \
                value.__name__ == f"{__name__}.{name}":
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

_API = {
    "plot": ("rlplot.api", "plot"),
    "Plot": ("rlplot.api", "Plot"),
    "RlplotWarning": ("rlplot.api", "RlplotWarning"),
    "RlplotError": ("rlplot.errors", "RlplotError"),
    "InputError": ("rlplot.errors", "InputError"),
    "ColumnError": ("rlplot.errors", "ColumnError"),
    "ConfigError": ("rlplot.errors", "ConfigError"),
    "OutputError": ("rlplot.errors", "OutputError"),
    "read_log": ("rlplot.io", "read_log"),
    "read_tables": ("rlplot.io", "read_tables"),
    "inspect_log": ("rlplot.inspect", "inspect_log"),
    "load_config": ("rlplot.config", "load_config"),
    "Config": ("rlplot.config", "Config"),
    "prepare": ("rlplot.pipeline", "prepare"),
    "prepare_runs": ("rlplot.pipeline", "prepare_runs"),
    "render": ("rlplot.pipeline", "render"),
    "save_figure": ("rlplot.figure.save", "save_figure"),
}

__all__ = ["__version__", *_API, *_CALLABLE]


def __getattr__(name):
    import importlib

    if name in _API:
        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    if name in _CALLABLE:   # imported here, it is set on the package (and made callable)
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'rlplot' has no attribute {name!r}")
