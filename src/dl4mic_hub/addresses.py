"""Which network addresses are not public: the link checker never connects to them, and the
catalogue never links to them (validate).

Catalogue URLs come from pull requests by strangers, and the checker runs in CI, next to
cloud metadata services and private networks. A URL, a redirect, or a DNS answer that changes
between two look-ups must not make it fetch such an address. So the transport resolves each
host itself, checks every address here, and connects to the address it checked.

The table follows the IANA special-purpose address registries (IPv4 and IPv6); addresses that
embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that address.
Python's own ``is_global`` is the last word for anything the table does not name, and its
answer changed between Python versions, hence the explicit table.
"""

from __future__ import annotations

import re
import socket
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

Address = IPv4Address | IPv6Address

#: Never contacted, whatever the options: no catalogue links there, and fetching them from a
#: CI runner is how cloud credentials leak.
CLOUD_METADATA = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, Azure, GCP, OpenStack... instance metadata
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS instance metadata over IPv6
        "168.63.129.16",  # Azure WireServer (GitHub's hosted runners are Azure machines)
        "100.100.100.200",  # Alibaba Cloud metadata
        "192.0.0.192",  # Oracle Cloud metadata
    )
)

_SPECIAL: list[tuple[IPv4Network | IPv6Network, str]] = [
    (ip_network(net), what)
    for net, what in (
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a special-purpose (IETF protocol) address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved (former 6to4 relay) address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a private (local-use NAT64) address"),
        ("100::/64", "a reserved (discard-only) address"),
        ("2001::/23", "a special-purpose (IETF protocol) address"),
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a special-purpose (segment routing) address"),
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a private (site-local) address"),
        ("ff00::/8", "a multicast address"),
    )
]
_GLOBAL_UNICAST = ip_network("2000::/3")
_NAT64 = ip_network("64:ff9b::/96")


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def address_kind(address: Address) -> str | None:
    """What kind of special address this is (``"a private address"``), or None if it is an
    ordinary public address."""
    if is_cloud_metadata(address):
        return "a cloud metadata address"
    if isinstance(address, IPv6Address):
        if address.scope_id:
            return "a link-local address"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind = address_kind(embedded)
            return f"{kind} (inside the IPv6 address)" if kind else None
    for network, what in _SPECIAL:
        if address.version == network.version and address in network:
            return what
    if isinstance(address, IPv6Address) and address not in _GLOBAL_UNICAST:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose address"
    return None


def is_cloud_metadata(address: Address) -> bool:
    embedded = _embedded_ipv4(address) if isinstance(address, IPv6Address) else None
    return address in CLOUD_METADATA or embedded in CLOUD_METADATA


def refusal(address: Address, allow_private: bool) -> str | None:
    """Why the checker must not connect to ``address`` (a phrase such as ``"a private
    address"``), or None. ``allow_private`` lifts every refusal but cloud metadata."""
    if allow_private and not is_cloud_metadata(address):
        return None
    return address_kind(address)


# The shorter IPv4 forms the system's resolver reads as addresses ("127.1", "2130706433",
# "0x7f.1"): numbers, decimal or hexadecimal, one to four of them.
_IPV4_SHORT = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}")


def _written_address(name: str) -> Address | None:
    """The address a host written as one stands for, in any form a resolver accepts; None
    for a host name."""
    try:
        return ip_address(name.split("%")[0])
    except ValueError:
        pass
    if _IPV4_SHORT.fullmatch(name):
        try:
            return IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None


def private_host_kind(host: str, allow_private: bool = False) -> str | None:
    """What kind of non-public place a URL's host names, from the URL alone (no DNS): an
    address the checker refuses (:func:`refusal`, so cloud metadata whatever is allowed),
    ``localhost`` and its sub-domains, or a name without a dot (``intranet``), which only a
    local network resolves. None for an ordinary host name or public address, or one
    ``allow_private`` lets through. A reader outside the writer's network would reach
    nothing, or something else, at such an address."""
    name = host.lower().removesuffix(".")
    address = _written_address(name)
    if address is not None:
        return refusal(address, allow_private)
    if allow_private:
        return None
    if name == "localhost" or name.endswith(".localhost"):
        return "this computer (localhost)"
    if name and "." not in name:
        return "a name only a local network knows (it has no dot)"
    return None
