"""petition: candidate pledges and petitions for prosecutor accountability."""

import importlib
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from petition import routing
from petition.database import configure_database
from petition.urls import configure_base_url


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(__name__, instance_relative_config=True, template_folder=resource_dir("templates"))
    app.config.from_object("config.Config")
    if config:
        app.config.update(config)
    configure_secrets(app)
    configure_base_url(app)
    check_default_time_zone(app)
    if app.debug and "SESSION_COOKIE_SECURE" not in os.environ:
        # The development server speaks plain HTTP; Secure cookies would never come back.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    configure_database(app)
    routing.init_app(app)
    if app.config["PETITION_PROXY_COUNT"]:
        count = app.config["PETITION_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_http_caching(app)
    # Last, so that its commit runs first of the after-request work (Flask runs
    # it in reverse): on SQLite the write lock is released before the headers.
    register_transactions(app)
    register_commands(app)
    register_logging(app)
    return app


def resource_dir(name: str) -> str:
    """Return the templates/ or migrations/ folder, in a checkout or an installed wheel.

    A checkout keeps them beside the package (the project's layout); a wheel
    carries them inside it (pyproject.toml).
    """
    package = Path(__file__).resolve().parent
    for folder in (package / name, package.parent / name):
        if folder.is_dir():
            return str(folder)
    raise RuntimeError(f"{name}/ is neither in {package} nor beside it: a broken install")


def configure_secrets(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if not (app.debug or app.testing):
        raise RuntimeError("SECRET_KEY must be set (see README, Configuration)")
    # Debug only: a random key kept in the instance folder, so links in the
    # development mailbox survive a reloader restart. Never a fixed fallback.
    os.makedirs(app.instance_path, exist_ok=True)
    key_file = Path(app.instance_path) / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def check_default_time_zone(app: Flask) -> None:
    from petition.localtime import is_valid_zone

    if not is_valid_zone(app.config["PETITION_DEFAULT_TIME_ZONE"]):
        raise RuntimeError(
            "PETITION_DEFAULT_TIME_ZONE must be an IANA time zone, like America/Chicago"
        )


def register_extensions(app: Flask) -> None:
    from petition import i18n, ratelimits
    from petition.database import ping_when_idle, tune_sqlite
    from petition.extensions import csrf, db, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=resource_dir("migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    ratelimits.init_app(app)
    i18n.init_app(app)

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        tune_sqlite(engine, durable=bool(app.config["PETITION_DURABLE_COMMITS"]))
    else:
        ping_when_idle(engine)


def register_transactions(app: Flask) -> None:
    from petition import transactions

    transactions.init_app(app)


# Each feature's blueprint, and the modules whose import attaches its routes.
FEATURES = {
    "campaigns": ("views", "record_views"),
    "signing": ("views",),
    "devmail": ("views",),
    "auth": ("views", "account"),
    "pledges": ("views", "manage", "record_views", "photo_views"),
    "organizers": ("views", "downloads", "history", "answer_views", "target_records", "held"),
    "privacy": ("views",),
    "language": ("views",),
    "admin": ("views", "held_views"),
    "sharing": ("views",),
    "api": ("views",),
    "apikeys": ("views",),
    "osdi": ("keyed", "views"),
    "webhooks": ("views",),
}


def register_blueprints(app: Flask) -> None:
    for feature, modules in FEATURES.items():
        for module in modules:
            importlib.import_module(f"petition.{feature}.{module}")
        app.register_blueprint(importlib.import_module(f"petition.{feature}").bp)


def register_template_helpers(app: Flask) -> None:
    from petition import templating

    templating.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from petition import errors

    errors.init_app(app)


def register_security_headers(app: Flask) -> None:
    from petition import security

    security.init_app(app)


def register_http_caching(app: Flask) -> None:
    from petition import caching
    from petition.campaigns import live

    caching.init_app(app)
    live.init_app(app)


def register_commands(app: Flask) -> None:
    from petition import cli

    cli.init_app(app)


def register_logging(app: Flask) -> None:
    from petition.logs import EscapeControlCharacters, RedactClientAddress

    logging.getLogger("werkzeug").addFilter(RedactClientAddress())
    # Request paths reach the development server's access log and Flask's
    # "Exception on <path>" line: escaped, a path cannot forge a log line.
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if not any(isinstance(f, EscapeControlCharacters) for f in logger.filters):
            logger.addFilter(EscapeControlCharacters())
