"""Suggesting a fix for a mistyped mail domain, never for a real one."""

import pytest

from petition.maildomains import distance, suggest


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("maria@gmial.com", "maria@gmail.com"),  # two letters swapped
        ("maria@gmail.con", "maria@gmail.com"),
        ("maria@gmai.com", "maria@gmail.com"),
        ("Maria.S@Hotmial.com", "Maria.S@hotmail.com"),
        ("ana@yaho.com", "ana@yahoo.com"),
        ("ana@outlok.com", "ana@outlook.com"),
        ("ana@iclod.com", "ana@icloud.com"),
        ("ana@comcast.ent", "ana@comcast.net"),
        ("ana@gmail.co", "ana@gmail.com"),
        ("ana@gmailcom", "ana@gmail.com"),  # the dot left out
        ("ana@hotmal.com", "ana@hotmail.com"),
        ("ana@hotnail.com", "ana@hotmail.com"),
        ("ana@yahooo.com", "ana@yahoo.com"),
        ("ana@aol.con", "ana@aol.com"),  # a short name, only its top-level domain mistyped
        ("ana@me.cm", "ana@me.com"),
        ("ana@verizon.nte", "ana@verizon.net"),
        ("ana@protonmial.com", "ana@protonmail.com"),
    ],
)
def test_a_likely_typo_in_a_common_domain_gets_a_suggestion(typed, suggested):
    assert suggest(typed) == suggested


@pytest.mark.parametrize(
    "typed",
    [
        "maria@gmail.com",
        "maria@GMAIL.COM",
        "maria@mail.com",  # a real provider one letter from gmail.com
        "maria@ymail.com",
        "maria@gmx.com",
        # Real providers a few letters from a common one: never "corrected".
        "maria@yahoo.ca",
        "maria@live.ca",
        "maria@aim.com",
        "maria@uol.com",
        "maria@gmx.net",
        "maria@hey.com",
        "maria@rr.com",
        "maria@q.com",
        # The same kind of neighbours, not in any list: the rule itself leaves them alone.
        "maria@yahoo.fr",
        "maria@live.nl",
        "maria@aol.de",
        "maria@mymail.com",
        "maria@fox.net",
        "maria@we.com",
        "maria@example.org",
        "maria@nola-defenders.org",
        "maria@tulane.edu",
        "not-an-address",
    ],
)
def test_an_address_that_looks_right_gets_no_suggestion(typed):
    assert suggest(typed) is None


def test_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert distance("gmial.com", "gmail.com") == 1
    assert distance("gmail.com", "gmail.com") == 0
    assert distance("abc", "") == 3


@pytest.mark.parametrize(
    "typed",
    ["maria@yahoo.ca", "maria@live.ca", "maria@aim.com", "maria@uol.com", "maria@gmx.net"]
    + ["maria@hey.com", "maria@rr.com", "maria@q.com"],
)
def test_the_rule_alone_leaves_real_neighbours_of_common_providers_alone(typed, monkeypatch):
    from petition import maildomains

    monkeypatch.setattr(maildomains, "REAL_LOOKALIKES", frozenset())

    assert suggest(typed) is None
