"""The notebook API: DataFrames (or log paths) in, figures out. ``rlplot.plot`` and friends.

    import rlplot
    fig = rlplot.plot(df, y="reward", runs="run", smooth="ema", group_by="lr", aggregate="iqm")
    fig                      # shown inline in Jupyter (PNG)
    fig.save("fig.pdf")      # atomic, deterministic, with provenance, as `rlplot render -o`
    fig.data()               # every drawn point (the --data-out columns) as a frame of df's library

``entry`` holds the entry points, ``keywords`` how keywords become a Config, ``data_in``
how data in memory becomes Runs, ``result``/``views`` what comes back.
"""
from .entry import compare, inspect, plot, report, summary
from .result import Plot, RlplotWarning

__all__ = ["compare", "inspect", "plot", "report", "summary", "Plot", "RlplotWarning"]
