"""Kiteguard's certificate authority, kept under home and created on first use.

mitmproxy reads its CA from ``confdir`` under the basename "mitmproxy"; we create it ourselves
first so that parents see "Kiteguard" in their trust store, and so that the key files are
readable by the service's user only.
"""

from __future__ import annotations

import os
from pathlib import Path

from mitmproxy.certs import CertStore

from .paths import Home

BASENAME = "mitmproxy"  # the name mitmproxy looks for in confdir
ORGANIZATION = "Kiteguard"
COMMON_NAME = "Kiteguard Family Protection CA"
SECRET_FILES = ("mitmproxy-ca.pem", "mitmproxy-ca.p12")


def ensure_ca(home: Home) -> Path:
    """Create the CA if it is missing, fix permissions, and return the certificate's PEM path."""
    home.ensure()
    if not (home.ca_dir / SECRET_FILES[0]).exists():
        CertStore.create_store(home.ca_dir, BASENAME, 2048, organization=ORGANIZATION, cn=COMMON_NAME)
    os.chmod(home.ca_dir, 0o700)
    for name in SECRET_FILES:
        path = home.ca_dir / name
        if path.exists():
            os.chmod(path, 0o600)
    return home.ca_cert_path
