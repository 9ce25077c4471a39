"""The mitmproxy add-on: the only code that knows about mitmproxy.

``hooks`` holds the add-on itself; ``flowfacts`` reads requests, ``replies`` writes our own
pages and ``reserved`` answers the addresses under ``/__kiteguard/``.
"""

from .hooks import BROWSER_HEADER, CHECK_HOST, KiteguardAddon

__all__ = ["BROWSER_HEADER", "CHECK_HOST", "KiteguardAddon"]
