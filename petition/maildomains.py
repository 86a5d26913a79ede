"""Typos in the domain of an email address: "gmial.com" is probably "gmail.com".

A suggestion only: the address is taken as typed, and the supporter decides.
"""

# The providers most supporters use, and look-alikes that are real providers
# of their own (never "corrected" into a neighbour: mail.com is not gmail.com).
COMMON_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "comcast.net",
    "att.net",
    "verizon.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "me.com",
    "mac.com",
    "protonmail.com",
)
REAL_LOOKALIKES = frozenset(
    {
        "mail.com",
        "gmx.com",
        "ymail.com",
        "googlemail.com",
        "yahoo.co.uk",
        "hotmail.co.uk",
        "live.co.uk",
        "proton.me",
        "email.com",
        "att.com",
        "yahoo.ca",
        "live.ca",
        "aim.com",
        "uol.com",
        "gmx.net",
        "hey.com",
        "rr.com",
        "q.com",
    }
)
# A name shorter than this is never reached by editing another: "aim" is not a
# typo of "aol", nor "hey" of "me"; only their top-level domain is corrected.
MIN_FUZZY_LABEL = 4
# Edits allowed in the name: one for a short name, two from this length on.
LONG_LABEL = 6


def distance(a: str, b: str) -> int:
    """Return the optimal string alignment distance: edits, with a swap of two neighbours as one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def suggest(email: str) -> str | None:
    """Return ``email`` with its domain corrected to a common one, or None if it looks right.

    Either the name is a common provider's and the top-level domain a typo of
    its own ("gmail.con"), or the top-level domain matches and the name is a
    typo ("gmial.com"): a different top-level domain is another provider
    ("yahoo.ca"), and so is a short name a few letters from a common one.
    """
    local, at, domain = email.rpartition("@")
    domain = domain.lower()
    if not at or not local or domain in COMMON_DOMAINS or domain in REAL_LOOKALIKES:
        return None
    candidates = [
        (cost, common) for common in COMMON_DOMAINS if (cost := _cost(domain, common)) is not None
    ]
    if not candidates:
        return None
    candidates.sort()
    if len(candidates) > 1 and candidates[1][0] == candidates[0][0]:
        return None  # two providers are as close: a guess would be a coin toss
    return f"{local}@{candidates[0][1]}"


def _cost(domain: str, common: str) -> int | None:
    """Return the edits from ``domain`` to ``common`` if it is a likely typo of it, else None."""
    name, dot, tld = domain.rpartition(".")
    common_name, _, common_tld = common.rpartition(".")
    if not dot:  # the dot left out: "gmailcom"
        return 1 if domain == common_name + common_tld else None
    if name == common_name:
        edits = distance(tld, common_tld)
        return edits if edits <= 1 else None
    if tld != common_tld or min(len(name), len(common_name)) < MIN_FUZZY_LABEL:
        return None
    edits = distance(name, common_name)
    return edits if edits <= (2 if len(common_name) >= LONG_LABEL else 1) else None
