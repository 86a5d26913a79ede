"""Access rules for views: organizers log in; admins moderate."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

P = ParamSpec("P")
R = TypeVar("R")


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Allow only logged-in admins; others get a 404, as if the page did not exist."""

    @login_required
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped
