"""The subcommand class: old flag spellings keep working for one release, with one warning each.

An old spelling is a hidden ``LegacyOption`` (or a value an option reinterprets, see
``move_value``) that records where its value belongs; once Click has parsed the
command line, ``Command`` moves each recorded value to the option that now carries that
meaning, checks the options a legacy spelling can stand in for, and prints
``rlplot: warning: <old> is deprecated; use <new>`` once per spelling (not with -q).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import click
from click.core import ParameterSource

from .output import warn

_MOVED = "rlplot.moved"        # ctx.meta key: values given under an old spelling
_WARNED = "rlplot.warned"      # ctx.meta key: deprecation warnings already printed


@dataclass(frozen=True)
class Moved:
    """A value given under an old spelling, and the parameter that now takes it."""

    old: str        # how it was spelt: "--json"
    new: str        # how to spell it now: "-f json"
    target: str     # the parameter's name: "fmt"
    value: Any


def move_value(ctx: click.Context, moved: Moved) -> None:
    """Record a value given under an old spelling; ``Command`` applies it after parsing."""
    ctx.meta.setdefault(_MOVED, []).append(moved)


class LegacyOption(click.Option):
    """An old spelling, hidden from help, whose value goes to the option named ``target``."""

    def __init__(self, param_decls, *, target: str, old: str, new: str,
                 convert: Callable[[Any], Any] | None = None, **attrs) -> None:
        super().__init__(param_decls, hidden=True, expose_value=False, callback=self._record,
                         **attrs)
        self.target, self.old, self.new = target, old, new
        self.convert = convert or (lambda value: value)

    def _record(self, ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value in (None, (), False):
            return          # not given
        move_value(ctx, Moved(self.old, self.new, self.target, self.convert(value)))


class Command(click.Command):
    """An rlplot subcommand: applies old spellings after parsing and checks ``needs``.

    ``needs`` names parameters that must have a value once old spellings are applied
    (``--out-dir``, which ``-o`` may still give): Click's own ``required`` would refuse
    the old spelling before it is applied.
    """

    def __init__(self, *args, needs: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs = needs

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if ctx.resilient_parsing:       # shell completion: nothing to apply or print
            return rest
        moved = ctx.meta.pop(_MOVED, [])
        for item in moved:
            _apply(ctx, item)
        for name in self.needs:
            if ctx.params.get(name) in (None, ()):
                param = next(p for p in self.params if p.name == name)
                raise click.MissingParameter(ctx=ctx, param=param)
        if not ctx.params.get("quiet"):
            warned = ctx.meta.setdefault(_WARNED, set())
            for item in moved:
                message = f"{item.old} is deprecated; use {item.new}"
                if message not in warned:
                    warned.add(message)
                    warn(message)
        return rest


def _apply(ctx: click.Context, moved: Moved) -> None:
    """Give ``moved.value`` to its parameter; refuse a value given both ways that disagrees."""
    current = ctx.params.get(moved.target)
    if isinstance(current, tuple):           # a repeatable option takes both
        ctx.params[moved.target] = current + tuple(moved.value)
        return
    given = ctx.get_parameter_source(moved.target) == ParameterSource.COMMANDLINE
    if given and current != moved.value:
        raise click.UsageError(f"{moved.old} (deprecated) and {moved.new.split()[0]} disagree; "
                               f"give only {moved.new.split()[0]}", ctx=ctx)
    ctx.params[moved.target] = moved.value
