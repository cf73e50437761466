"""Who is asking: the client's address as far as the proxies we trust vouch for it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or, behind VANMATCH_TRUSTED_PROXIES proxies of
    ours, the hop the first of them saw (X-Forwarded-For's entry that many from the end). Used by
    django-axes (AXES_CLIENT_IP_CALLABLE) and the security log; a header the client wrote itself
    is never believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.VANMATCH_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return remote
