"""Which links the service agrees to fetch, answered as the API's 400 `url_not_allowed`."""

from __future__ import annotations

from genre_api.core.errors import ApiError
from genre_core.link_policy import check_link
from genre_core.url_safety import Resolver, UrlNotAllowed


def ensure_url_allowed(
    url: str, allowed_hosts: list[str], allowed_networks: list[str], resolve: Resolver | None = None
) -> None:
    """Refuse a link (400 `url_not_allowed`) that :func:`genre_core.link_policy.check_link` refuses.

    The scheme (http/https) and well-formedness are checked earlier by the request model (422).
    """
    try:
        check_link(url, allowed_hosts, allowed_networks, resolve)
    except UrlNotAllowed as error:
        raise ApiError(400, error.code, error.message) from error
