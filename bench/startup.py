"""How long `corpus` takes to start: `--help`, `--version`, `list`, `search` and `quotes` on
the seeds, each a fresh process as a user runs it, against `python -c pass` measured in the
same run (alternating, R rounds; wall time and the child's CPU time from wait4).

    .venv/bin/python bench/startup.py [--rounds 15] [--baseline OTHER/.venv/bin/corpus]

--baseline times another installation's `corpus` (say a checkout of main in its own venv)
in the same rounds, on its own copy of the seeds, so a change is measured against what it
replaces under the same load.

Targets (issue 13): `--help` and `--version` under 0.3 s, `list` under 0.6 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from common import OUT, PYTHON, ROOT, load_average, machine, median

CORPUS = str(Path(PYTHON).with_name("corpus"))  # the console script the venv installed
TARGETS = {"--help": 0.3, "--version": 0.3, "list": 0.6}
COMMANDS = {"--help": ["--help"], "--version": ["--version"], "list": ["list"], "search Lavrov": ["search", "Lavrov"],
            "quotes --speaker Lavrov": ["quotes", "--speaker", "Lavrov"]}


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{command} exited {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline", metavar="CORPUS", help="another `corpus` executable to time alongside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        installs = {"": CORPUS, **({"baseline ": args.baseline} if args.baseline else {})}
        # As a user's installation runs: Python's compiled modules cached (an environment
        # with PYTHONDONTWRITEBYTECODE compiles corpus's own modules again in every process).
        user_env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        commands: dict[str, tuple[list[str], dict]] = {"python -c pass": ([PYTHON, "-c", "pass"], user_env)}
        for label, corpus in installs.items():
            env = dict(user_env, CORPUS_DATABASE_URL=f"sqlite:///{scratch}/{label.strip() or 'this'}.db")
            subprocess.run([corpus, "add", "--manifest", str(ROOT / "seeds" / "manifest.csv")], env=env,
                           check=True, capture_output=True)
            for name, words in COMMANDS.items():
                commands[label + name] = ([corpus, *words], env)
                timed(commands[label + name][0], env)  # once untimed: writes the compiled modules
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        load_before = load_average()
        for _ in range(args.rounds):
            for name, (command, env) in commands.items():
                runs[name].append(timed(command, env))
    baseline_wall = median([wall for wall, _ in runs["python -c pass"]])
    baseline_cpu = median([cpu for _, cpu in runs["python -c pass"]])
    results = {}
    for name, samples in runs.items():
        wall, cpu = median([w for w, _ in samples]), median([c for _, c in samples])
        results[name] = {"wall_median": wall, "cpu_median": cpu, "wall_min": min(w for w, _ in samples),
                         "wall_over_python": wall / baseline_wall, "cpu_over_python": cpu / baseline_cpu,
                         "target": TARGETS.get(name)}
        target = f"  target < {TARGETS[name]} s: {'met' if wall < TARGETS[name] else 'NOT met'} (wall)" \
            if name in TARGETS else ""
        print(f"{name:33} wall {wall:.3f} s (min {results[name]['wall_min']:.3f})  CPU {cpu:.3f} s  "
              f"{wall / baseline_wall:5.1f}x python wall, {cpu / baseline_cpu:5.1f}x CPU{target}")
    # Written beside the other results, but RESULTS.md is not re-rendered from here: that
    # needs every benchmark's JSON, which a fresh checkout does not have.
    OUT.mkdir(exist_ok=True)
    (OUT / "startup.json").write_text(json.dumps(
        {"rounds": args.rounds, "baseline": args.baseline, "load_before": load_before, "load_after": load_average(), "commands": results,
         "machine": machine()}, indent=2))
    print(f"load average {load_before} before, {load_average()} after; {args.rounds} rounds")


if __name__ == "__main__":
    main()
