"""`bench/surge.py --profile` reads py-spy's samples: the workers' only, by innermost line."""

from bench.spy import hottest

APP = '"/work/.venv/bin/python3 /work/.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app"'
MASTER = f"process 10:{APP};<module> (gunicorn:6);Arbiter.run (gunicorn/arbiter.py:247)"
WORKER = (
    f"process 10:{APP};process 11:{APP};<module> (gunicorn:6);"
    "Arbiter.spawn_worker (gunicorn/arbiter.py:752);SyncWorker.run (gunicorn/workers/sync.py:132)"
)
LOCK = "_begin_immediate (petition/database.py:123)"
REDIS = "SocketBuffer._read_from_socket (redis/_parsers/socket.py:98)"


def test_shares_of_the_workers_samples_by_innermost_line(tmp_path):
    samples = tmp_path / "sqlite-sign.txt"
    samples.write_text(
        f"{MASTER};Arbiter.wait_for_signals (gunicorn/arbiter.py:425) 500\n"
        f"{WORKER};sign_from_form (petition/signing/flow.py:43);hit_all "
        f"(petition/ratelimits.py:130);{REDIS} 30\n"
        f"{WORKER};sign (petition/signing/services.py:112);{LOCK} 60\n"
        f"{WORKER};confirm_post (petition/signing/views.py:150);{LOCK} 10\n"
    )

    total, lines = hottest(samples, top=1)

    # The master's 500 samples waiting for signals are not the workers' time.
    assert total == 100
    # One line reached from two views is one line: 70 of the 100 samples.
    assert lines == [(0.7, LOCK)]
    assert hottest(samples, top=5)[1] == [(0.7, LOCK), (0.3, REDIS)]


def test_no_worker_samples_is_no_lines(tmp_path):
    samples = tmp_path / "empty.txt"
    samples.write_text(f"{MASTER};Arbiter.wait_for_signals (gunicorn/arbiter.py:425) 500\n")

    assert hottest(samples, top=5) == (0, [])
