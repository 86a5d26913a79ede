"""Where the app's workers spend a benchmark run, sampled from outside by py-spy.

``bench/surge.py --profile DIR`` attaches py-spy to the app's gunicorn master
and workers for each measured wrk run, writes the samples to
``DIR/<backend>-<path>.txt`` (py-spy's "raw" format: one line per stack, with
its count) and prints the source lines the workers were on most often.

Sampling from outside is the profile to trust for a server under load.
cProfile inside a worker charges every Python call, so many-call code
(SQLAlchemy, WTForms, Werkzeug) looks dearer than it is, and it cannot tell
a socket send from the wait for a core that follows it. py-spy samples at a
fixed rate, waits included (``--idle``): time blocked on Redis, on SQLite's
write lock or on the client closing its connection counts as time on that
line, because the worker can serve nothing else meanwhile.

py-spy is not installed by ``make install``: ``.venv/bin/pip install -e '.[bench]'``.
It needs ptrace rights over the workers (root, or ``kernel.yama.ptrace_scope=0``).
"""

import subprocess
from collections import Counter
from pathlib import Path

RATE = 250  # samples per second and process
# A frame every worker's stack holds (gunicorn's sync worker); the master's lacks it.
WORKER_FRAME = "SyncWorker.run"


def start(py_spy: Path, pid: int, out: Path, seconds: int) -> subprocess.Popen:
    """Start sampling the gunicorn master ``pid`` and its workers for ``seconds``."""
    return subprocess.Popen(
        [
            str(py_spy),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--idle",
            "--nonblocking",  # never pauses the workers: the run's figures stay the run's
            "--rate",
            str(RATE),
            "--duration",
            str(seconds),
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, out: Path) -> None:
    """Wait for ``process`` (from ``start``); raise with py-spy's words if it wrote nothing."""
    _, errors = process.communicate()
    if process.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed ({process.returncode}): {errors.strip()}")


def hottest(raw: Path, top: int) -> tuple[int, list[tuple[float, str]]]:
    """The workers' samples, and the ``top`` lines they were on, each as a share of them.

    A line is the innermost Python frame of a sample: where the worker was
    running, or blocked in a call that Python made (a socket read, a sleep).
    """
    lines: Counter[str] = Counter()
    for record in raw.read_text().splitlines():
        stack, _, count = record.rpartition(" ")
        frames = stack.split(";")
        if not stack or not any(frame.startswith(WORKER_FRAME) for frame in frames):
            continue
        lines[frames[-1]] += int(count)
    total = sum(lines.values())
    if not total:
        return 0, []
    return total, [(count / total, line) for line, count in lines.most_common(top)]
