"""A job function for pool workers that hangs in one run until the test lets it go.

Workers import it by name (``tests.batch.hanging``), so the batch must run from the
repository root. The environment says where to hang and the two FIFOs to talk through.
"""
from __future__ import annotations

import json
import os
import time

from rlplot.batch.manifest import MANIFEST_NAME
from rlplot.batch.worker import run_job

HANG_IN = "RLPLOT_TEST_HANG_IN"     # the run folder whose job hangs
OUT_DIR = "RLPLOT_TEST_OUT_DIR"     # the batch's --out-dir
READY = "RLPLOT_TEST_READY"         # FIFO: the job writes 'ready' once it hangs
HOLD = "RLPLOT_TEST_HOLD"           # FIFO: the job goes on when the test closes its end


def run_job_or_hang(task):
    """``run_job``, but the job of run HANG_IN first waits for the manifest to record a figure,
    says 'ready' and waits for the test to let it go."""
    if os.path.basename(os.path.dirname(task.job.source)) == os.environ[HANG_IN]:
        while not _recorded(os.path.join(os.environ[OUT_DIR], MANIFEST_NAME)):
            time.sleep(0.01)   # the parent records every finished figure: this ends
        with open(os.environ[READY], "w") as ready:
            ready.write("ready")
        with open(os.environ[HOLD]) as hold:
            hold.read()
    return run_job(task)


def _recorded(manifest: str) -> bool:
    try:
        with open(manifest, encoding="utf-8") as fh:
            return bool(json.load(fh)["outputs"])
    except (OSError, ValueError, KeyError):
        return False
