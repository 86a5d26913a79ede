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


def tripped_rule(
    campaign_id: int, honeypot: str | None, started: str | None, ip_hash: str | None
) -> str | None:
    """Return the name of the rule this signing trips, or None.

    Every signing counts against the per-address limits, held or not, so a
    script cannot reset them by tripping another rule.
    """
    config = current_app.config
    too_many = None
    if ip_hash:
        # Both limits count the try; the stronger one names the hold.
        rules = [
            (rule, setting)
            for rule, setting in (
                (SUSTAINED, "PETITION_SIGN_SUSTAINED_LIMIT"),
                (BURST, "PETITION_SIGN_BURST_LIMIT"),
            )
            if config[setting]
        ]
        allowed = ratelimits.hit_moving(
            [setting for _, setting in rules], "sign-rule", str(campaign_id), ip_hash
        )
        too_many = next(
            (rule for (rule, _), ok in zip(rules, allowed, strict=True) if not ok), None
        )
    if honeypot:
        return HONEYPOT
    minimum = config["PETITION_SIGN_MIN_SECONDS"]
    if minimum > 0:
        age = sign_form_age(started) if started else None
        if age is None or age < minimum:
            return TOO_FAST
    return too_many
