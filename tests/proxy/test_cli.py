"""The CLI contract: policy import/export, check --json, ca path. Each runs the real command."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from kgtest import run_cli

POLICY = Path(__file__).with_name("household_example.toml").read_text(encoding="utf-8")


def import_policy(home: Path, text: str, tmp_path: Path) -> object:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return run_cli(home, "policy", "import", str(path))


def test_export_import_export_is_byte_stable(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert import_policy(home, POLICY, tmp_path).returncode == 0
    first = run_cli(home, "policy", "export").stdout
    assert import_policy(home, first, tmp_path).returncode == 0
    second = run_cli(home, "policy", "export").stdout
    assert first == second and 'deny = ["example-bad.vn"]' in first
    exported = tmp_path / "out.toml"
    assert run_cli(home, "policy", "export", str(exported)).returncode == 0
    assert exported.read_text(encoding="utf-8") == first


def test_a_refused_file_names_the_problem_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    import_policy(home, POLICY, tmp_path)
    before = run_cli(home, "policy", "export").stdout
    for bad, words in [
        (POLICY.replace('from = "21:00"', 'from = "25:61"'), "'25:61' is not a time of day"),
        (POLICY.replace('block = ["adult",', 'block = ["casino",'), "unknown category 'casino'"),
        ("this is not toml = = =", "not valid TOML"),
    ]:
        result = import_policy(home, bad, tmp_path)
        assert result.returncode == 1
        assert words in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert run_cli(home, "policy", "export").stdout == before


def test_check_json_follows_the_contract(tmp_path: Path) -> None:
    home = tmp_path / "home"
    import_policy(home, POLICY, tmp_path)
    result = run_cli(home, "check", "HTTPS://WWW.Example-Bad.VN.:443/x", "--json", "--at", "2026-11-30T12:00")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "url": "https://www.example-bad.vn/x",
        "profile": "be-an",
        "action": "block",
        "category": None,
        "reasons": [{"source": "custom", "category": None, "detail": "deny example-bad.vn"}],
        "rewrite": None,
    }
    night = json.loads(run_cli(home, "check", "http://khanacademy.org/", "--json", "--at",
                               "2026-11-30T22:00+07:00").stdout)
    assert night["action"] == "block" and night["reasons"][0]["source"] == "schedule"
    day = json.loads(run_cli(home, "check", "http://khanacademy.org/", "--json", "--at", "2026-11-30T12:00").stdout)
    assert day["action"] == "allow" and day["reasons"] == []


def test_check_names_unknown_profiles_and_bad_input(tmp_path: Path) -> None:
    home = tmp_path / "home"
    import_policy(home, POLICY, tmp_path)
    assert "unknown profile 'nobody'" in run_cli(home, "check", "http://a.test/", "--profile", "nobody").stderr
    assert "not an ISO-8601" in run_cli(home, "check", "http://a.test/", "--at", "tomorrow").stderr
    assert "not an http" in run_cli(home, "check", "ftp://a.test/").stderr


def test_a_fresh_home_has_the_embedded_default_policy(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "home", "check", "http://example.org/", "--json")
    assert json.loads(result.stdout)["profile"] == "child"


def test_ca_path_creates_the_ca_with_a_private_key_only_we_can_read(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_cli(home, "ca", "path")
    pem = Path(result.stdout.strip())
    assert pem.read_text().startswith("-----BEGIN CERTIFICATE-----")
    key = home / "ca" / "mitmproxy-ca.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert run_cli(home, "ca", "path").stdout == result.stdout  # created once, then reused
