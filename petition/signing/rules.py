"""Abuse rules for signing, applied in the open.

A signing that trips a rule is not refused and not dropped: it is stored like
any other, named by the rule (``Signature.held_by``), left out of the public
count, and shown as "held for review" on the demand's page. Its organizers see
how many each rule held and can restore them (petition.signing.holds).

The rules, modelled on the UK Parliament petitions site:

- ``honeypot``: a field people never see was filled in (only a bot fills it);
- ``too_fast``: the form came back sooner than ``PETITION_SIGN_MIN_SECONDS``
  after it was served, or without the signed time it was served at;
- ``burst`` and ``sustained``: more signings of this demand from one network
  address than ``PETITION_SIGN_BURST_LIMIT`` (1 per 60 seconds) or
  ``PETITION_SIGN_SUSTAINED_LIMIT`` (5 per 300 seconds) allow. The address is
  counted by its keyed hash only, in the shared rate-limit store.
"""

from collections.abc import Sequence

from flask import current_app

from petition import ratelimits
from petition.tokens import sign_form_age

HONEYPOT = "honeypot"
TOO_FAST = "too_fast"
BURST = "burst"
SUSTAINED = "sustained"

# What an organizer reads next to each rule's figure, in the order shown.
RULES = {
    HONEYPOT: "filled in a hidden field that only automated scripts fill in",
    TOO_FAST: "sent faster than a person can fill in the form",
    BURST: "another signature from the same network address moments before",
    SUSTAINED: "too many signatures from the same network address in a few minutes",
}


# Both windows count every signing; the stronger names a hold (sustained first).
_WINDOWS = ((SUSTAINED, "PETITION_SIGN_SUSTAINED_LIMIT"), (BURST, "PETITION_SIGN_BURST_LIMIT"))


def windows(campaign_id: int, ip_hash: str | None) -> list[tuple[str, ratelimits.Try]]:
    """The per-address windows a signing of ``campaign_id`` counts against, with their rules.

    The caller counts them (``ratelimits.hit_all``, with any other limit of
    the request in the same round trip) and hands the outcomes to
    ``tripped_rule``. Every signing counts, held or not, so a script cannot
    reset them by tripping another rule.
    """
    if not ip_hash:
        return []
    config = current_app.config
    return [
        (rule, ratelimits.Try(setting, "sign-rule", (str(campaign_id), ip_hash), moving=True))
        for rule, setting in _WINDOWS
        if config[setting]
    ]


def tripped_rule(
    honeypot: str | None, started: str | None, within: Sequence[tuple[str, bool]]
) -> str | None:
    """Return the name of the rule this signing trips, or None.

    ``within`` says, for each of ``windows``' rules, whether the signing was
    still within its window's limit.
    """
    if honeypot:
        return HONEYPOT
    minimum = current_app.config["PETITION_SIGN_MIN_SECONDS"]
    if minimum > 0:
        age = sign_form_age(started) if started else None
        if age is None or age < minimum:
            return TOO_FAST
    return next((rule for rule, ok in within if not ok), None)
