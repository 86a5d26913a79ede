"""The SSRF rule sees through IPv6 forms that carry an IPv4 address."""

from ipaddress import ip_address

import pytest

from petition.webhooks.targets import TargetRefused, check


@pytest.fixture
def production(app):
    app.config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = False
    with app.app_context():
        yield


@pytest.mark.parametrize(
    "host",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254, the cloud metadata service
        "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
        "64:ff9b::a01:203",  # NAT64 to 10.1.2.3
        "64:ff9b:1::5db8:d822",  # local-use NAT64, whatever it embeds
        "2002:a9fe:a9fe::1",  # 6to4 from 169.254.169.254
        "2002:7f00:1::1",  # 6to4 from 127.0.0.1
        "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
        "::5db8:d822",  # IPv4-compatible, deprecated whatever it embeds
        "::ffff:7f00:1",  # IPv4-mapped 127.0.0.1
        "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
        "fec0::1",  # site-local
    ],
)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(production, host):
    with pytest.raises(TargetRefused, match="private network"):
        check(f"https://[{host}]/hooks")


@pytest.mark.parametrize(
    "host",
    [
        "64:ff9b::5db8:d822",  # NAT64 to 93.184.216.34, a public address
        "2002:5db8:d822::1",  # 6to4 from the same
        "::ffff:5db8:d822",  # IPv4-mapped, the same
    ],
)
def test_the_same_forms_of_a_public_ipv4_address_pass(production, host):
    assert ip_address(check(f"https://[{host}]/hooks").address) == ip_address(host)
