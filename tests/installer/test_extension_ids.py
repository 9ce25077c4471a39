"""The browser policies force-install the extension by id: the ids must be the extension's own."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from kiteguard.installer.plan import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID

MANIFEST = json.loads((Path(__file__).resolve().parents[2] / "extension" / "manifest.json").read_text())


def chromium_id(public_key_b64: str) -> str:
    """Chromium's id: the first 128 bits of sha256(public key), written with the letters a-p."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(ch, 16)) for ch in digest)


def test_the_chromium_policy_names_the_id_the_manifest_key_gives() -> None:
    assert CHROME_EXTENSION_ID == chromium_id(MANIFEST["key"])


def test_the_firefox_policy_names_the_gecko_id() -> None:
    assert FIREFOX_EXTENSION_ID == MANIFEST["browser_specific_settings"]["gecko"]["id"]
