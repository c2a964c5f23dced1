"""Reading a meeting feed from a file or an http(s) address, carefully.

Program admins (not the operator) choose the URLs, so fetching is deliberately careful:
only http(s), a timeout, a size cap, and no private, loopback or link-local addresses
(also after a redirect), so a feed URL cannot be used to probe the server's own network.
The operator's ``import_meetings`` command may read local addresses.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

MAX_FEED_BYTES = 20 * 1024 * 1024  # the largest real directories are a few MB
FETCH_TIMEOUT = 30  # seconds
USER_AGENT = "Alongside meeting import (+https://github.com/alongside)"


class FetchError(Exception):
    """The feed could not be read; the message says why, for the person who asked."""


def is_url(text: str) -> bool:
    return "://" in text


def read_feed_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise FetchError(_("The file is larger than %(mb)d MB, too large to be a meeting feed.") % {"mb": _mb()})
        return path.read_bytes()
    except OSError as error:
        raise FetchError(_("Could not read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}) from None


def _mb() -> int:
    return MAX_FEED_BYTES // (1024 * 1024)


def _check_address(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Only http and https addresses can be imported."))
    if not parts.hostname:
        raise FetchError(_("The address has no host name."))
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise FetchError(_("The host %(host)s was not found.") % {"host": parts.hostname}) from None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not address.is_global:
            raise FetchError(
                _("%(host)s is a private or local address; only feeds on the public internet can be imported.")
                % {"host": parts.hostname}
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Every hop of a redirect passes the same address check as the first URL."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        _check_address(newurl, allow_private=self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_feed(url: str, *, allow_private: bool = False) -> bytes:
    """The body at an http(s) URL, at most ``MAX_FEED_BYTES``."""
    _check_address(url, allow_private=allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})  # noqa: S310 - scheme checked above
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_FEED_BYTES:
                raise FetchError(
                    _("The feed is larger than %(mb)d MB, too large to be a meeting feed.") % {"mb": _mb()}
                )
            body = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(
            _("The feed address answered %(code)s %(reason)s.") % {"code": error.code, "reason": error.reason}
        ) from None
    except urllib.error.URLError as error:
        raise FetchError(_("Could not reach the feed address: %(reason)s.") % {"reason": error.reason}) from None
    except TimeoutError:
        raise FetchError(_("The feed address did not answer within %(s)d seconds.") % {"s": FETCH_TIMEOUT}) from None
    except (OSError, ValueError) as error:
        raise FetchError(_("Could not read the feed address: %(reason)s.") % {"reason": error}) from None
    if len(body) > MAX_FEED_BYTES:
        raise FetchError(_("The feed is larger than %(mb)d MB, too large to be a meeting feed.") % {"mb": _mb()})
    return body


def read_feed(path_or_url: str, *, allow_private: bool = False) -> bytes:
    """A local file or an http(s) URL; anything else (file://, ftp://) is refused."""
    if is_url(path_or_url):
        return fetch_feed(path_or_url, allow_private=allow_private)
    return read_feed_file(Path(path_or_url))
