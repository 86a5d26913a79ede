"""URL converters: a malformed slug or an impossible id is a 404 at routing, before any query."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from petition.slugs import SlugConverter


class IdConverter(IntegerConverter):
    """A database id: a positive 32-bit integer, so a larger number is a 404, not a driver error."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        super().__init__(map, min=1, max=2_147_483_647)


def init_app(app: Flask) -> None:
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["id"] = IdConverter
