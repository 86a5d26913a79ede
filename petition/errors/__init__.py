"""Friendly error pages: every 4xx says what happened and what to do next."""

import logging
from typing import Any

from flask import Flask, Response, json, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:  # pragma: no cover - redirects
            return error
        if error.response is not None:
            return error.response
        if request.path.startswith(JSON_PREFIX):
            return problem(error)
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        if request.path.startswith(JSON_PREFIX):
            return problem(error)
        return render_template("errors/error.html", error=error), 500


# Programs read what is under this path: errors there are JSON, never a page.
JSON_PREFIX = "/api/"


def problem(error: HTTPException) -> Response:
    """Return an error as RFC 9457 problem details, keeping its headers (like Allow)."""
    response = problem_response(error.code or 500, error.description or error.name)
    for key, value in error.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def problem_response(status: int, detail: str, **extensions: Any) -> Response:
    """Return RFC 9457 problem details: every JSON error under /api/ has this one shape."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extensions,
    }
    return Response(json.dumps(body), status, mimetype="application/problem+json")
