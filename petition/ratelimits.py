"""How often one client may do a thing, counted where every worker can see it.

Built on ``limits`` (the counting and storage engine Flask-Limiter uses),
without Flask-Limiter's hooks on every request: only the views that declare a
limit pay for one, so the live count and the pages cost nothing here.
Counters are keyed by the keyed hash of the client's address, never the
address itself, and live in ``RATELIMIT_STORAGE_URI`` (Redis in production).
"""

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, NoReturn

from flask import Flask, abort, current_app, make_response, render_template, request
from limits import RateLimitItem, parse_many, storage, strategies
from redis.exceptions import NoScriptError
from werkzeug.exceptions import TooManyRequests

from petition.netaddr import client_address, hash_address


class _Limiter:
    def __init__(self, uri: str) -> None:
        self.storage = storage.storage_from_string(uri)
        self.strategy = strategies.FixedWindowRateLimiter(self.storage)
        # Exact over any window, for the signing rules' small per-address counts.
        self.moving = strategies.MovingWindowRateLimiter(self.storage)


def init_app(app: Flask) -> None:
    app.extensions["petition.ratelimits"] = _Limiter(app.config["RATELIMIT_STORAGE_URI"])


# Storage each process keeps to itself: with several workers every one of
# them would allow the whole limit, so the limit would not hold.
PER_PROCESS_STORAGE = ("memory://",)


def per_process_problem(config: Mapping[str, Any], workers: int) -> str | None:
    """Say why ``workers`` processes cannot share this config's limits; None if they can."""
    if workers <= 1 or not config.get("RATELIMIT_ENABLED"):
        return None
    uri = config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri.startswith(PER_PROCESS_STORAGE):
        return None
    return (
        f"Refusing to start {workers} workers with RATELIMIT_STORAGE_URI={uri}: each worker "
        "would count the rate limits on its own, so they would allow several times the limit. "
        "Set RATELIMIT_STORAGE_URI to a store every worker shares, such as "
        "redis://127.0.0.1:6379/0, or run one worker (WEB_CONCURRENCY=1)."
    )


def _limiter() -> _Limiter:
    return current_app.extensions["petition.ratelimits"]


@lru_cache(maxsize=64)
def limits_in(text: str) -> tuple[RateLimitItem, ...]:
    """Parse a setting: "10 per minute; 100 per day" is two limits, and both hold."""
    return tuple(parse_many(text))


def hit(setting: str, scope: str, *identifiers: str, moving: bool = False) -> bool:
    """Count one try against the limits in config ``setting``; False once one is exceeded.

    ``moving`` counts over a moving window instead of fixed ones.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    strategy = _limiter().moving if moving else _limiter().strategy
    # Every limit counts the try, so a long window keeps counting through a burst.
    outcomes = [
        strategy.hit(limit, scope, *identifiers) for limit in limits_in(current_app.config[setting])
    ]
    return all(outcomes)


@dataclass(frozen=True)
class Try:
    """One try to count against the limits in config ``setting``, for ``scope`` and ``identifiers``.

    ``moving`` counts over moving windows instead of fixed ones.
    """

    setting: str
    scope: str
    identifiers: tuple[str, ...]
    moving: bool = False


def hit_all(tries: Sequence[Try]) -> list[bool]:
    """Count each try against its setting's limits; whether each one's limits all still hold.

    The same as ``hit`` for each try in turn, in one round trip to Redis
    instead of one per limit: a sign POST counts the visitor's limit and the
    two windows of the signing rules.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return [True] * len(tries)
    limiter = _limiter()
    store = limiter.storage
    # The scripts are limits' own (5.x names them so); any other store or version
    # takes the documented way, a round trip per limit.
    moving_script = getattr(store, "lua_acquire_moving_window", None)
    fixed_script = getattr(store, "lua_incr_expire", None)
    if not isinstance(store, storage.RedisStorage) or None in (moving_script, fixed_script):
        return [
            hit(each.setting, each.scope, *each.identifiers, moving=each.moving) for each in tries
        ]
    items = [
        (index, each, limit)
        for index, each in enumerate(tries)
        for limit in limits_in(current_app.config[each.setting])
    ]
    pipeline = store.get_connection().pipeline(transaction=False)
    moment = time.time()
    for _, each, limit in items:
        # What limits' strategies run (RedisStorage.acquire_entry and incr),
        # queued on the pipeline instead of sent alone. By hash only: redis-py
        # would first ask whether the script is loaded, a round trip of its own.
        key = store.prefixed_key(limit.key_for(each.scope, *each.identifiers))
        if each.moving:
            pipeline.evalsha(moving_script.sha, 1, key, moment, limit.amount, limit.get_expiry(), 1)
        else:
            pipeline.evalsha(fixed_script.sha, 1, key, limit.get_expiry(), 1)
    outcomes = [True] * len(tries)
    for (index, each, limit), result in zip(items, pipeline.execute(False), strict=True):
        if isinstance(result, NoScriptError):  # a restarted Redis: this hit loads it again
            strategy = limiter.moving if each.moving else limiter.strategy
            ok = strategy.hit(limit, each.scope, *each.identifiers)
        elif isinstance(result, Exception):
            raise result
        else:
            ok = bool(result) if each.moving else int(result) <= limit.amount
        outcomes[index] = outcomes[index] and ok
    return outcomes


def refuse(setting: str) -> NoReturn:
    """Answer with the 429 page for the limits in config ``setting``."""
    page = render_template("errors/error.html", error=TooManyRequests())
    response = make_response(page, 429)
    windows = limits_in(current_app.config[setting])
    response.headers["Retry-After"] = str(max(limit.get_expiry() for limit in windows))
    abort(response)


def limited(setting: str, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Refuse a client with a 429 page once it exceeds the limit in config ``setting``.

    Counted per view and per client address, for requests with ``methods``.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.method in methods and not hit(
                setting, request.endpoint or view.__name__, hash_address(client_address())
            ):
                refuse(setting)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def reset() -> None:
    """Forget every counter (tests)."""
    _limiter().storage.reset()


def within(setting: str, scope: str, *identifiers: str) -> bool:
    """Whether another try would still be allowed by config ``setting``, without counting one."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    strategy = _limiter().strategy
    return all(
        strategy.test(limit, scope, *identifiers)
        for limit in limits_in(current_app.config[setting])
    )
