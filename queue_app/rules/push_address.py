"""Where a Web Push may go: the one reading of a subscription's endpoint that decides both whether it is allowed
and where the server connects (live/push.py posts to the address this returns, and checks the host's resolved
addresses again when it connects).

A strict subset of URLs, so no two parsers can read it differently: printable ASCII with no backslash, `https`,
no user-info, a host name of letters, digits, dots and dashes (no IP literal, no percent-encoding, no brackets)
on the list of push services, port 443 or none. `allow_http` (tests with a local stand-in push service) also
takes `http`, any port, and an IP literal that the list names exactly.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from .errors import ValidationError

MAX_LENGTH = 500
# Printable ASCII without the backslash (WHATWG URL readers take it for a slash, others for a character).
PRINTABLE = re.compile(r"[!-\[\]-~]+")
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*")
AUTHORITY = re.compile(r"(?P<host>[^:/?#@\[\]]+)(?::(?P<port>[0-9]{1,5}))?")


def _refuse(message):
    """The one refusal an endpoint gets: its field, and what is wrong in words."""
    return ValidationError(message, field="endpoint")


def _ip_literal(host):
    """True if `host` reads as an IP address to some resolver (dotted, shortened, decimal or hex forms)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        # inet_aton takes "127.1", "2130706433" and "0x7f.1": a host made only of numbers is one.
        return all(re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)", part) for part in host.split("."))


def _on_the_list(host, push_services):
    """True if `host` is one of the push services or a name under one."""
    return any(host == service or host.endswith("." + service) for service in push_services)


def push_endpoint(endpoint, push_services, allow_http=False):
    """The endpoint as the server will post to it (scheme, host, port, path and query; no fragment), or a
    ValidationError on the field "endpoint" saying what is wrong."""
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_LENGTH:
        raise _refuse("The subscription has no valid endpoint.")
    if not PRINTABLE.fullmatch(endpoint):
        raise _refuse("The endpoint may hold no spaces, control characters, backslashes or non-ASCII characters.")
    scheme, _, rest = endpoint.partition("://")
    if scheme.lower() not in (("https", "http") if allow_http else ("https",)):
        raise _refuse("The subscription's endpoint must be an https address.")
    authority = re.match(r"[^/?#]*", rest).group(0)
    if "@" in authority:
        raise _refuse("The endpoint may not carry a user name or password.")
    found = AUTHORITY.fullmatch(authority)
    if not found:
        raise _refuse("The endpoint's host must be a plain host name, with no brackets or percent signs.")
    host, port = found.group("host").lower(), found.group("port")
    if _ip_literal(host):
        if not (allow_http and host in push_services):
            raise _refuse("The endpoint must name its push service's host, not an IP address.")
    elif not HOST_NAME.fullmatch(host):
        raise _refuse("The endpoint's host must be a plain host name, with no brackets or percent signs.")
    if not _on_the_list(host, push_services):
        raise _refuse("That push service is not one this tent sends to.")
    if port is not None and not allow_http and int(port) != 443:
        raise _refuse("A push service is reached on port 443 only.")
    if port is not None and not 0 < int(port) < 65536:
        raise _refuse("The endpoint's port is not a port.")
    parts = urlsplit(endpoint)
    path = parts.path or "/"
    return f"{scheme.lower()}://{host}{':' + port if port else ''}{path}{'?' + parts.query if parts.query else ''}"


def trusted_addresses(push_services, allow_http):
    """The IP literals an endpoint may name although they are not public: those the list names exactly, and only
    where plain-HTTP stand-ins are allowed (tests); otherwise none. A host name is checked whatever it resolves
    to."""
    return frozenset(host for host in push_services if allow_http and _ip_literal(host))


def public_address(address):
    """True if a resolved `address` (text) is one a push may connect to: a public unicast one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
