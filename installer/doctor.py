"""``kiteguard doctor``: look at a running install and say, in plain words, what is wrong.

Each check returns a ``Finding`` with a stable ``check`` id, a status and message keys; the
CLI renders them in the parent's language. Checks read only what setup recorded in the
manifest (ports, users, steps), so doctor never guesses at paths setup did not use.
"""

from __future__ import annotations

import importlib
import json
import socket
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiteguard.installer import browser_policies, ca, routing
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.manifest import Manifest

OK, PROBLEM, ABSENT, UNKNOWN = "ok", "problem", "absent", "unknown"
CLOCK_SLACK = timedelta(minutes=5)
PROXY_CHECK_HOST = "kiteguard.invalid"


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    key: str
    fix_key: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def as_json(self, text: Callable[..., str]) -> dict[str, Any]:
        return {
            "check": self.check,
            "status": self.status,
            "message": text(self.key, **self.params),
            "fix": text(self.fix_key, **self.params) if self.fix_key else "",
        }


def examine(manifest: Manifest, target: SystemRoot, home: Path, now: datetime) -> list[Finding]:
    """Every check, in the order a parent would fix things."""
    if not manifest.exists:
        return [Finding("installed", ABSENT, "doctor.absent")]
    settings = manifest.data.get("settings", {})
    steps = set(manifest.applied_steps())
    ca_pem = Path(settings.get("ca_cert_path", "")).read_bytes() if settings.get("ca_cert_path") else b""
    proxy_port, ui_port = int(settings.get("proxy_port", 0)), int(settings.get("ui_port", 0))
    findings = [Finding("installed", OK, "doctor.installed")]
    if "ca-system" in steps:
        findings.append(_system_trust(target, ca_pem))
    for name, user_home in settings.get("users", []):
        if f"ca-nss-{name}" in steps:
            findings.append(_nss_trust(target, name, user_home, ca_pem))
    for browser, path in browser_policies.CHROMIUM_FAMILY.items():
        if f"policy-{browser}" in steps:
            findings.append(_chromium_policy(target, browser, path, ui_port))
    for browser, path in browser_policies.FIREFOX_FAMILY.items():
        if f"policy-{browser}" in steps:
            findings.append(_firefox_policy(target, browser, path, ui_port))
    if "routing-environment" in steps:
        findings.append(_environment(target, proxy_port))
    findings.extend(_service(proxy_port, ui_port))
    findings.append(_extension(home, now))
    findings.append(_clock(manifest, home, now))
    return findings


def _system_trust(target: SystemRoot, ca_pem: bytes) -> Finding:
    bundle = target.path(ca.DEBIAN_BUNDLE)
    held = bundle.is_file() and ca.holds_certificate(bundle.read_bytes(), ca_pem)
    fedora = target.path(ca.FEDORA_CERT).is_file()
    if held or fedora:
        return Finding("ca-system", OK, "doctor.ca_system_ok")
    return Finding("ca-system", PROBLEM, "doctor.ca_system_missing", "fix.rerun_setup")


def _nss_trust(target: SystemRoot, name: str, user_home: str, ca_pem: bytes) -> Finding:
    folder = target.path(f"{user_home.rstrip('/')}/.pki/nssdb")
    params = {"user": name}
    if ca.nss_holds(folder, ca_pem, target):
        return Finding(f"ca-nss-{name}", OK, "doctor.ca_nss_ok", params=params)
    return Finding(f"ca-nss-{name}", PROBLEM, "doctor.ca_nss_missing", "fix.rerun_setup", params)


def _chromium_policy(target: SystemRoot, browser: str, path: str, ui_port: int) -> Finding:
    policy = _json(target.path(path))
    proxy = policy.get("ProxySettings", {})
    params = {"browser": browser}
    if proxy.get("ProxyPacUrl") == routing.pac_url(ui_port) and policy.get("IncognitoModeAvailability") == 1:
        return Finding(f"policy-{browser}", OK, "doctor.policy_ok", params=params)
    return Finding(f"policy-{browser}", PROBLEM, "doctor.policy_missing", "fix.rerun_setup", params)


def _firefox_policy(target: SystemRoot, browser: str, path: str, ui_port: int) -> Finding:
    policies = _json(target.path(path)).get("policies", {})
    params = {"browser": browser}
    proxy_ok = policies.get("Proxy", {}).get("AutoConfigURL") == routing.pac_url(ui_port)
    installed = set(policies.get("Certificates", {}).get("Install", []))
    if proxy_ok and installed & {ca.DEBIAN_CERT, ca.FEDORA_CERT}:
        return Finding(f"policy-{browser}", OK, "doctor.policy_ok", params=params)
    return Finding(f"policy-{browser}", PROBLEM, "doctor.policy_missing", "fix.rerun_setup", params)


def _environment(target: SystemRoot, proxy_port: int) -> Finding:
    path = target.path(routing.ENVIRONMENT)
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    if f'https_proxy="http://127.0.0.1:{proxy_port}"' in text:
        return Finding("routing-environment", OK, "doctor.environment_ok")
    return Finding("routing-environment", PROBLEM, "doctor.environment_missing", "fix.rerun_setup")


def _service(proxy_port: int, ui_port: int) -> list[Finding]:
    """The settings page serves the PAC file, and the proxy answers its reserved check host."""
    params = {"proxy_port": str(proxy_port), "ui_port": str(ui_port)}
    pac = _get(f"http://127.0.0.1:{ui_port}/proxy.pac", proxy=None)
    if pac is None or f"PROXY 127.0.0.1:{proxy_port}" not in pac:
        page = Finding("service-ui", PROBLEM, "doctor.ui_down", "fix.start_service", params)
    else:
        page = Finding("service-ui", OK, "doctor.ui_ok", params=params)
    answer = _get(f"http://{PROXY_CHECK_HOST}/", proxy=f"http://127.0.0.1:{proxy_port}")
    if answer is None:
        proxy = Finding("service-proxy", PROBLEM, "doctor.proxy_down", "fix.start_service", params)
    else:
        proxy = Finding("service-proxy", OK, "doctor.proxy_ok", params=params)
    return [page, proxy]


def _extension(home: Path, now: datetime) -> Finding:
    """Whether any paired browser's extension has checked in, from the pairing book in the store.

    A build without the extension's pairing feature gives "unknown", not a problem.
    """
    try:
        book_type = importlib.import_module("kiteguard.proxy.pairing").Pairings
    except (ImportError, AttributeError):
        return Finding("extension", UNKNOWN, "doctor.extension_unknown")
    database = home / "kiteguard.sqlite3"
    seen = False
    if database.exists():
        from kiteguard.proxy.store import Store

        store = Store(database)
        try:
            seen = any(browser.last_seen for browser in book_type(store, lambda: now, lambda: ()).browsers())
        except Exception:  # noqa: BLE001 - the book's shape is the extension feature's; do not crash doctor
            return Finding("extension", UNKNOWN, "doctor.extension_unknown")
        finally:
            store.close()
    if seen:
        return Finding("extension", OK, "doctor.extension_ok")
    return Finding("extension", PROBLEM, "doctor.extension_missing", "fix.extension")


def _clock(manifest: Manifest, home: Path, now: datetime) -> Finding:
    """A clock moved away from Kiteguard's own sense of time would stretch or shrink time limits.

    The service's high-water mark (``proxy.clockguard``) says what time it really is; without
    one, files written "in the future" still show a clock that was set back.
    """
    trusted = _trusted_now(home, now)
    if trusted is not None and abs(trusted - now) > CLOCK_SLACK:
        key = "doctor.clock_back" if trusted > now else "doctor.clock_forward"
        return Finding("clock", PROBLEM, key, "fix.clock", {"seen": _local(trusted, now)})
    newest = max((p.stat().st_mtime for p in home.rglob("*") if p.is_file()), default=0.0)
    installed = manifest.data.get("installed_at", "")
    latest = max(newest, datetime.fromisoformat(installed).timestamp() if installed else 0.0)
    if latest > now.timestamp() + CLOCK_SLACK.total_seconds():
        seen = _local(datetime.fromtimestamp(latest, tz=now.tzinfo), now)
        return Finding("clock", PROBLEM, "doctor.clock_back", "fix.clock", {"seen": seen})
    return Finding("clock", OK, "doctor.clock_ok")


def _trusted_now(home: Path, now: datetime) -> datetime | None:
    database = home / "kiteguard.sqlite3"
    if not database.exists():
        return None
    from kiteguard.proxy.clockguard import ClockGuard, boot_id, load_mark
    from kiteguard.proxy.store import Store

    store = Store(database)
    try:
        mark = load_mark(store)
    finally:
        store.close()
    return ClockGuard(lambda: now, mark=mark, boot=boot_id()).now() if mark else None


def _local(instant: datetime, now: datetime) -> str:
    return instant.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")


def _get(url: str, proxy: str | None) -> str | None:
    """A small loopback GET's body, whatever its status; None when nothing answers in time."""
    status, body = _fetch(url, proxy)
    return body if status else None


def _fetch(url: str, proxy: str | None) -> tuple[int, str]:
    handler = urllib.request.ProxyHandler({"http": proxy} if proxy else {})
    opener = urllib.request.build_opener(handler)
    try:
        with opener.open(url, timeout=3) as response:
            return response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536).decode("utf-8", "replace")
    except (OSError, socket.timeout):
        return 0, ""


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
