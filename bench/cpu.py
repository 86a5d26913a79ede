"""Where a benchmark run's CPU went: the app's workers, Redis, PostgreSQL, wrk, the rest.

On two shared cores a request's cost is all the CPU it makes the machine
spend, not only the app's: the Redis and PostgreSQL servers it talks to, and
the load generator. ``bench/surge.py --cpu`` prints this split per request.
"""

import os
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def snapshot() -> dict[int, tuple[str, int, int]]:
    """Every process: pid -> (command name, session id, CPU ticks used so far)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[3] is the session id; fields[11] and [12] user and system time.
        found[int(entry.name)] = (name, int(fields[3]), int(fields[11]) + int(fields[12]))
    return found


def split(before, after, sessions: dict[str, int]) -> Counter:
    """CPU seconds used between two snapshots, by group.

    ``sessions`` names the process sessions to tell apart (a gunicorn master
    started in its own session, with its workers); other processes are grouped
    by name: wrk, redis, postgres, and "other".
    """
    by_session = {sid: name for name, sid in sessions.items()}
    used: Counter = Counter()
    for pid, (name, sid, ticks) in after.items():
        spent = ticks - before.get(pid, (name, sid, 0))[2]
        if spent <= 0:
            continue
        if sid in by_session:
            group = by_session[sid]
        elif name == "wrk":
            group = "wrk"
        elif name.startswith("redis"):
            group = "redis"
        elif name == "postgres" or name.startswith("postgres:"):
            group = "postgres"
        else:
            group = "other"
        used[group] += spent / TICKS
    return used
