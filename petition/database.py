"""The database connection: where it is, and how SQLite is made to behave under load."""

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from flask import Flask, current_app, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.sql.dml import Insert

from petition.clock import monotonic

T = TypeVar("T")

# Requests with these methods only read, so on SQLite they never need the write
# lock. SQLite holds them to it (query_only), so a GET that writes fails in
# every test instead of now and then under load.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_database(app: Flask) -> None:
    """Default to a SQLite file in the instance folder; choose how commits reach the disk."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = Path(app.instance_path) / "petition.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    if postgres and app.config["PETITION_DURABLE_COMMITS"] is False:
        # An operator's choice (README, "Durability"): a commit returns before
        # its WAL record is flushed, so a crash of the database server can lose
        # the last few hundred milliseconds of commits, never half of one. A
        # libpq startup option, added to any the URL already gives.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        given = connect_args.get("options", "")
        connect_args["options"] = f"{given} -c synchronous_commit=off".strip()
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


def tune_sqlite(engine: Engine, durable: bool = False) -> None:
    """Make SQLite safe and fast for several gunicorn workers at once.

    - WAL lets readers run beside the one writer; ``synchronous=NORMAL`` in WAL
      mode syncs at checkpoints instead of at every commit. A crash of the
      process loses nothing; a power cut or kernel crash can lose the last
      commits before the checkpoint, never the file's consistency (README).
      ``durable`` (PETITION_DURABLE_COMMITS=1) syncs every commit instead.
    - Transactions are begun explicitly: the sqlite3 module would otherwise
      let RELEASE SAVEPOINT commit the outer transaction.
    - A request that can write begins with IMMEDIATE, taking the write lock up
      front, so two writers queue instead of one failing at once when it tries
      to upgrade a read snapshot another writer has moved past
      (SQLITE_BUSY_SNAPSHOT). A read-only request begins DEFERRED and never
      touches the write lock, so pages keep being served while signing is
      busy; ``query_only`` makes any write it attempts an immediate error.
    - The WAL is copied back into the database (a checkpoint, with its syncs)
      every ``WAL_AUTOCHECKPOINT_PAGES`` pages instead of SQLite's 1,000, by
      whichever commit crosses the mark: under a surge of signing that was
      several times a second, each copying the same hot pages (the indexes,
      the outbox) and syncing again, and the requests that ran them made p99.
    - Writers wait for the lock in ``_begin_immediate``, not in SQLite's busy
      handler, which sleeps in steps of up to 100 ms: under a surge the lock
      sat free while the next writer slept, and p99 was three times p50.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        read = is_read_request()
        if connection.info.get("query_only") is not read:
            connection.exec_driver_sql(f"PRAGMA query_only={int(read)}")
            connection.info["query_only"] = read
        if read:
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(connection.connection.driver_connection)


# About 80 MiB of WAL between checkpoints at SQLite's 4 KiB pages (tune_sqlite).
WAL_AUTOCHECKPOINT_PAGES = 20_000

# How long a writer waits for SQLite's write lock, and the longest pause between tries.
WRITE_LOCK_TIMEOUT = 5.0
WRITE_LOCK_MAX_PAUSE = 0.002


def _begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retrying every millisecond or two while another writer holds the lock."""
    deadline = time.monotonic() + WRITE_LOCK_TIMEOUT
    pause = 0.0001
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                # Extended codes too: SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT.
                busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() > deadline:
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            # Jitter keeps waiting writers from retrying in lockstep.
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, WRITE_LOCK_MAX_PAUSE)
    finally:
        dbapi_connection.execute("PRAGMA busy_timeout=5000")


# A pooled connection idle longer than this is checked before use.
IDLE_PING_SECONDS = 10


def ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it has sat idle, then reconnect if dead.

    ``pool_pre_ping`` would spend a round trip on every request; a connection
    handed straight from one request to the next (all of them, under load)
    cannot have been dropped by an idle timeout or a restart unnoticed. This is
    SQLAlchemy's "pessimistic disconnect handling" recipe with an idle window.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool discards this connection and checks out a fresh one.
            raise DisconnectionError() from exc


_reading: ContextVar[bool] = ContextVar("petition_reading", default=False)


def is_read_request() -> bool:
    """Whether the work in hand only reads: a GET, or the inside of ``reading()``."""
    return _reading.get() or (has_request_context() and request.method in READ_METHODS)


@contextmanager
def reading() -> Iterator[None]:
    """Do the reading part of a write request before taking SQLite's write lock.

    A POST that checks things first (the campaign, the form) would otherwise
    hold the one write lock while it does, and every other writer waits.
    Inside, SQLite reads in a DEFERRED, query_only transaction, ended on the
    way out. ORM objects read here keep what they read (they are not expired,
    and reloading them would take the lock for a read again), so the write
    that follows must not depend on them being current to the millisecond:
    use it where the write is a guarded statement (``UPDATE ... WHERE
    confirmed_at IS NULL``, ``INSERT ... ON CONFLICT``). PostgreSQL has no
    single write lock: there it changes nothing.
    """
    from petition.extensions import db

    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("reading() after a write: the write would be committed by it")
    token = _reading.set(True)
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    else:
        # Nothing was written: this only ends the read transaction.
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
    finally:
        _reading.reset(token)


def without_transaction(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a public, read-only view whose queries need no transaction around them.

    On PostgreSQL they then run in autocommit, each in its own snapshot: a
    campaign page costs no BEGIN and ROLLBACK round trips. Views that stream
    with server-side cursors, or need one snapshot, do not use this.
    """
    view.without_transaction = True  # type: ignore[attr-defined]
    return view


class Session(FlaskSession):
    """``db.session``, which runs ``without_transaction`` views in autocommit on PostgreSQL.

    SQLite needs nothing of the kind: a read-only request begins DEFERRED
    there (``tune_sqlite``). The autocommit engine shares the pool.
    """

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        bind = super().get_bind(*args, **kwargs)
        if (
            isinstance(bind, Engine)
            and bind.dialect.name == "postgresql"
            and is_read_request()
            and getattr(
                current_app.view_functions.get(request.endpoint), "without_transaction", False
            )
        ):
            return _autocommitting(bind)
        return bind


# Weak: an engine that is disposed of and dropped (tests make many) is not kept alive.
_autocommit_engines: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def _autocommitting(engine: Engine) -> Engine:
    if engine not in _autocommit_engines:
        _autocommit_engines[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return _autocommit_engines[engine]


def insert(entity: object) -> Insert:
    """Return an INSERT for ``entity`` that can say ON CONFLICT, on either database.

    SQLite and PostgreSQL spell ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` the same way; SQLAlchemy keeps them per dialect.
    """
    from petition.extensions import db

    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(entity)


def per_dialect(build: Callable[[], T]) -> Callable[[], T]:
    """Build a statement once per database dialect, then reuse it.

    The hot paths execute prebuilt statements with bound parameters: building
    a statement (and its cache key) costs more than running it. The build is
    per dialect because ON CONFLICT statements are.
    """
    built: dict[str, T] = {}

    def get() -> T:
        from petition.extensions import db

        dialect = db.session.get_bind().dialect.name
        if dialect not in built:
            built[dialect] = build()
        return built[dialect]

    return get
