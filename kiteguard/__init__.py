"""Kiteguard: a parental-protection filter built on mitmproxy.

The customer's folders are mapped onto this import root: ``kiteguard.proxy``,
``kiteguard.blocklists``, ``kiteguard.classifiers`` and ``kiteguard.installer``.
"""

__version__ = "0.1.0"
