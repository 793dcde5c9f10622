"""Generate the sample benchmark for ``rlplot compare`` (seeded: re-running gives identical files).

    python sample_runs/compare/make_compare.py [--out FOLDER] [--figure FILE.png]

3 algorithms x 4 tasks x 5 seeds of short training logs, ``ALGO/TASK/seedK.csv`` with
columns ``step`` and ``episode_return`` (51 rows, steps 0..100,000), plus
``references.yaml`` (random and expert score per task). The known answer, in
reference-normalized units: final level ppo 0.75 > sac 0.65 > td3 0.45 on every task
(seed-to-seed sd 0.08, per-point noise sd 0.04; so P(ppo > sac) is about 0.76), and ppo also learns fastest.
``--figure`` draws the four compare figures of these logs with ``rlplot compare`` (the README's
command, with this folder's paths).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ALGORITHMS = {"ppo": (0.75, 0.20), "sac": (0.65, 0.30), "td3": (0.45, 0.45)}   # final level, time scale
TASKS = {"cartpole": (22.0, 500.0), "hopper": (18.0, 3500.0), "walker": (2.0, 4500.0),
         "cheetah": (-280.0, 10000.0)}                                        # random, expert
SEEDS = 5
STEPS = np.linspace(0, 100_000, 51)


def normalized_curve(level: float, scale: float, rng: np.random.Generator) -> np.ndarray:
    """One run's normalized return at STEPS: a saturating rise to its own final level, plus noise."""
    t = STEPS / STEPS[-1]
    final = level + rng.normal(0.0, 0.08)
    rise = (1.0 - np.exp(-t / scale)) / (1.0 - np.exp(-1.0 / scale))
    return final * rise + rng.normal(0.0, 0.04, len(t))


def write_run(path: Path, returns: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("step,episode_return\n")
        for step, value in zip(STEPS, returns):
            out.write(f"{int(step)},{value:.2f}\n")


def write_references(path: Path) -> None:
    lines = ["# Reference scores per task: normalized = (score - random) / (expert - random)."]
    lines += [f"{task}: {{random: {random:g}, expert: {expert:g}}}" for task, (random, expert) in TASKS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(out: Path) -> list[Path]:
    """Write every log and references.yaml under ``out``; return the log paths."""
    paths = []
    for a, (algorithm, (level, scale)) in enumerate(ALGORITHMS.items()):
        for t, (task, (random, expert)) in enumerate(TASKS.items()):
            for seed in range(SEEDS):
                rng = np.random.default_rng([a, t, seed])
                returns = random + (expert - random) * normalized_curve(level, scale, rng)
                path = out / algorithm / task / f"seed{seed}.csv"
                write_run(path, returns)
                paths.append(path)
    write_references(out / "references.yaml")
    return paths


def figure_command(folder: Path, output: Path) -> list[str]:
    """The ``rlplot compare`` arguments that draw every figure of the logs in ``folder`` into one PNG
    (the README's command, with this folder's paths)."""
    return ["compare", f"{folder.as_posix()}/*/*/seed*.csv", "--algo-by", "([^/]+)/[^/]+/seed",
            "--task-by", "([^/]+)/seed", "--y", "episode_return",
            "--normalize", f"{folder.as_posix()}/references.yaml", "--pairs", "all", "--layout", "1+3",
            "--set", "figure.dpi=100", "-o", str(output)]


def draw(folder: Path, output: Path) -> None:
    """Every compare figure of the logs in ``folder``, in one PNG, through the command line."""
    from rlplot.cli import cli

    cli.main(args=figure_command(folder, output), prog_name="rlplot", standalone_mode=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: here)")
    parser.add_argument("--figure", type=Path, help="also draw the compare figures into this PNG")
    args = parser.parse_args()
    generate(args.out)
    if args.figure:
        draw(args.out, args.figure)


if __name__ == "__main__":
    main()
