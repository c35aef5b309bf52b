"""Where a push may connect once the push service's name is resolved (rules/push_address.public_address): public
unicast addresses only. tests/live/test_push_delivery.py shows a name resolving to loopback is never connected to;
these are the other kinds of address a poisoned DNS answer or a hostile subscription could point at."""

import pytest

from queue_app.rules.push_address import public_address


@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1",                           # loopback
    "10.0.0.8", "172.16.5.4", "192.168.1.20",     # private networks: the tent's router, the organiser's laptop
    "fd12:3456::1",                               # IPv6 unique local
    "169.254.169.254", "fe80::1%eth0",            # link-local: cloud metadata, a neighbour
    "100.64.0.1",                                 # carrier-grade NAT
    "0.0.0.0", "::",                              # unspecified
    "224.0.0.251", "ff02::fb",                    # multicast
    "192.0.2.1", "198.51.100.7", "2001:db8::1",   # documentation ranges
    "240.0.0.1", "255.255.255.255",               # reserved, broadcast
    "::ffff:127.0.0.1", "::ffff:10.1.2.3",        # IPv4-mapped IPv6 of loopback and a private address
])
def test_an_address_that_is_not_public_unicast_is_refused(address):
    assert not public_address(address)


@pytest.mark.parametrize("address", ["142.250.185.78", "17.57.146.20", "2a00:1450:4001:82b::200a",
                                     "::ffff:142.250.185.78"])
def test_a_push_services_public_address_is_allowed(address):
    assert public_address(address)
