"""Runs, from the paths a command names to cleaned and smoothed Runs.

``refs``: what a run is before it is read (``RunRef``) and the interface of a run source;
``walk``: the runs paths hold (folders walked, stores listed; one entry per run source in
``rlplot.choices.RUN_SOURCES``, implemented in ``logs``, ``events`` and ``trackers``);
``discover``: globs and labels (no numpy); ``configs``, ``specs`` and ``select``: run configs,
``--group-by``/``--where``; ``time_axis``: ``--x wall|relative``; ``load``: Table -> Run
(columns picked, each panel's series cleaned); ``smooth``: every run's series smoothed;
``checks``: the checks across runs before drawing. Import the module you need: this package
imports nothing itself, so discovery stays light.
"""
