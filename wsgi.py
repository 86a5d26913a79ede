"""The WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi``."""

from petition import create_app

app = create_app()
