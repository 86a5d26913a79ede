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
