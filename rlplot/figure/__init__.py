"""Drawing and saving. This package never opens an input file: it draws arrays it is given."""


def import_drawing() -> None:
    """Import matplotlib and rlplot's drawing modules now (~0.5 s), e.g. while logs are read.

    ``pipeline.render`` calls it on a thread during a long read; batch workers once each.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure  # noqa: F401

    from . import chart, save  # noqa: F401
