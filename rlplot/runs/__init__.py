"""Runs, from the paths a command names to cleaned and smoothed Runs.

``discover``: which logs (globs expanded) and what each run is called (no numpy);
``load``: Table -> Run (columns picked, each panel's series cleaned); ``smooth``: every
run's series smoothed; ``checks``: the checks across runs before drawing. Import the
module you need: this package imports nothing itself, so discovery stays light.
"""
