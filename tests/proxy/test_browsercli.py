"""`kiteguard browsers` and `kiteguard requests`: the parent's commands, run as real processes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kiteguard.proxy.pairing import Pairings
from kiteguard.proxy.store import Store

from kgtest import run_cli


def test_a_pairing_code_comes_with_the_url_the_wizard_opens(kiteguard_home: Path) -> None:
    made = run_cli(kiteguard_home, "browsers", "code", "child", "--json")
    assert made.returncode == 0, made.stderr
    answer = json.loads(made.stdout)
    url = urlsplit(answer["url"])
    assert (url.hostname, url.path, url.query) == ("kiteguard.invalid", "/pair", "")  # the code stays in the fragment
    assert parse_qs(url.fragment) == {"code": [answer["code"]], "api": ["http://127.0.0.1:8378"]}
    store = Store(kiteguard_home / "kiteguard.sqlite3")
    paired = Pairings(store, lambda: datetime.now(timezone.utc)).redeem(answer["code"], "Chromium")
    listed = json.loads(run_cli(kiteguard_home, "browsers", "list", "--json").stdout)
    assert [(b["token_id"], b["profile"]) for b in listed] == [(paired.token_id, "child")]
    assert run_cli(kiteguard_home, "browsers", "revoke", paired.token_id).returncode == 0
    assert json.loads(run_cli(kiteguard_home, "browsers", "list", "--json").stdout) == []


def test_mistakes_are_one_line_and_exit_1(kiteguard_home: Path) -> None:
    for args, message in [
        (("browsers", "code", "nobody"), "no child profile named 'nobody'"),
        (("browsers", "revoke", "kb_nothing"), "no paired browser"),
    ]:
        result = run_cli(kiteguard_home, *args)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
