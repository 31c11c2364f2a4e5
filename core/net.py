"""The client's address, from one setting: TRUSTED_PROXY_COUNT.

Each trusted proxy appends the address it received the request from to X-Forwarded-For,
so with N proxies in front of gunicorn the client is the N-th address from the right:
everything to its left was written by the client and proves nothing. With 0 proxies the
header is ignored and the connection's address (REMOTE_ADDR) is the client.

The API's rate limits (core.api) and django-axes (AXES_CLIENT_IP_CALLABLE) both use
client_ip(), so a limit and a lockout always count the same client. DRF's own NUM_PROXIES
is not enough: left unset, DRF keys its throttles on the whole X-Forwarded-For string, so a
client that rotates the header gets a fresh budget each time.
"""

import ipaddress

from django.conf import settings


def _valid_address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client as the trusted proxies saw it; the connection's address
    when no proxy is trusted or the header is missing or malformed."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer hops than proxies: the outermost proxy saw the client directly.
    address = _valid_address(hops[-min(count, len(hops))])
    return address or remote


def rate_limit_ident(request) -> str:
    """What a rate limit counts: the client's address, and for IPv6 its /64 network, since
    one subscriber usually holds a whole /64 and could otherwise rotate through it."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
