"""The database connection: where it is, and how SQLite is made to behave under load."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from petition.extensions import db

T = TypeVar("T")

# Requests with these methods only read, so on SQLite they never need the write
# lock. SQLite holds them to it (query_only), so a GET that writes fails in
# every test instead of now and then under load.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_database(app: Flask) -> None:
    """Default to a SQLite file in the instance folder."""
    if app.config.get("SQLALCHEMY_DATABASE_URI"):
        return
    os.makedirs(app.instance_path, exist_ok=True)
    path = Path(app.instance_path) / "petition.sqlite"
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"


def tune_sqlite(engine: Engine) -> None:
    """Make SQLite safe and fast for several gunicorn workers at once.

    - WAL lets readers run beside the one writer; ``synchronous=NORMAL`` in WAL
      mode syncs at checkpoints instead of at every commit. A crash of the
      process loses nothing; a power cut or kernel crash can lose the last
      commits before the checkpoint, never the file's consistency (README).
    - Transactions are begun explicitly: the sqlite3 module would otherwise
      let RELEASE SAVEPOINT commit the outer transaction.
    - A request that can write begins with IMMEDIATE, taking the write lock up
      front, so two writers queue on busy_timeout instead of one failing at
      once when it tries to upgrade a read snapshot another writer has moved
      past (SQLITE_BUSY_SNAPSHOT). A read-only request begins DEFERRED and
      never touches the write lock, so pages keep being served while signing
      is busy; ``query_only`` makes any write it attempts an immediate error.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        read = is_read_request()
        if connection.info.get("query_only") is not read:
            connection.exec_driver_sql(f"PRAGMA query_only={int(read)}")
            connection.info["query_only"] = read
        connection.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def is_read_request() -> bool:
    """Whether the work in hand is a request that only reads."""
    return has_request_context() and request.method in READ_METHODS


def insert(entity: object) -> Insert:
    """Return an INSERT for ``entity`` that can say ON CONFLICT, on either database.

    SQLite and PostgreSQL spell ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` the same way; SQLAlchemy keeps them per dialect.
    """
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
        dialect = db.session.get_bind().dialect.name
        if dialect not in built:
            built[dialect] = build()
        return built[dialect]

    return get
