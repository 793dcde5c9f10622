"""What a user runs with rliable instead of ``rlplot compare`` (the compare benchmark's reference).

    python benchmarks/reference_compare.py SCORES.npz OUT.npz [--reps 2000]

SCORES.npz holds one array per algorithm, shape (num_runs, num_tasks), and ``tau``. Runs
rliable's ``get_interval_estimates`` (median, IQM, mean, optimality gap in one function, as
in rliable's own examples), ``create_performance_profile`` and the probability of
improvement of every pair, each with ``--reps`` stratified-bootstrap replicates. Writes
the point estimates and CIs to OUT.npz and prints the wall and CPU seconds of each step as JSON.
"""
from __future__ import annotations

import argparse
import itertools
import json
import time
import warnings

import numpy as np

warnings.simplefilter("ignore")   # absl / arch deprecation chatter
from rliable import library as rly  # noqa: E402
from rliable import metrics  # noqa: E402


def aggregates(scores: np.ndarray) -> np.ndarray:
    """rliable's four aggregate metrics of one (num_runs, num_tasks) matrix."""
    return np.array([metrics.aggregate_median(scores), metrics.aggregate_iqm(scores),
                     metrics.aggregate_mean(scores), metrics.aggregate_optimality_gap(scores)])


def clock() -> tuple[float, float]:
    """(wall, CPU) seconds now."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> list[float]:
    """[wall, CPU] seconds since ``start``."""
    return [time.perf_counter() - start[0], time.process_time() - start[1]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scores")
    parser.add_argument("out")
    parser.add_argument("--reps", type=int, default=2000)
    args = parser.parse_args()
    data = np.load(args.scores)
    tau = data["tau"]
    scores = {name: data[name] for name in data.files if name != "tau"}
    np.random.seed(0)
    seconds, out = {}, {}

    start = clock()
    points, cis = rly.get_interval_estimates(scores, aggregates, reps=args.reps)
    seconds["aggregates"] = since(start)
    for name in scores:
        out[f"aggregates/{name}"] = np.vstack([points[name], cis[name]])

    start = clock()
    profiles, profile_cis = rly.create_performance_profile(scores, tau, reps=args.reps)
    seconds["profiles"] = since(start)
    for name in scores:
        out[f"profiles/{name}"] = np.vstack([profiles[name], profile_cis[name]])

    start = clock()
    pairs = {f"{x},{y}": [scores[x], scores[y]] for x, y in itertools.combinations(scores, 2)}
    points, cis = rly.get_interval_estimates(pairs, metrics.probability_of_improvement, reps=args.reps)
    seconds["improvement"] = since(start)
    for pair in pairs:
        out[f"improvement/{pair}"] = np.concatenate([[points[pair]], np.ravel(cis[pair])])

    np.savez(args.out, **out)
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
