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
    }
)
MAX_DISTANCE = 2


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
    """Return ``email`` with its domain corrected to a common one, or None if it looks right."""
    local, at, domain = email.rpartition("@")
    domain = domain.lower()
    if not at or not local or domain in COMMON_DOMAINS or domain in REAL_LOOKALIKES:
        return None
    ranked = sorted((distance(domain, common), common) for common in COMMON_DOMAINS)
    best_distance, best = ranked[0]
    if best_distance > MAX_DISTANCE:
        return None
    if len(ranked) > 1 and ranked[1][0] == best_distance:
        return None  # two providers are as close: a guess would be a coin toss
    return f"{local}@{best}"
