"""Browser policies: their content, and a real Chromium that obeys the file setup writes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiteguard.installer import browser_policies, plan
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.browser_policies import BrowserSettings
from kiteguard.installer.ca import UserAccount, nss_step
from kiteguard.installer.manifest import Manifest
from kiteguard.installer.wizard import apply_steps, uninstall

SETTINGS = BrowserSettings(
    pac_url="http://127.0.0.1:8378/proxy.pac",
    ca_path="/usr/local/share/ca-certificates/kiteguard.crt",
    extension=plan.extension_source(8378),
    pairing={"server": "http://127.0.0.1:8378"},
    youtube="moderate",
)


# What every Chromium-family browser is told.
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ProxySettings", {"ProxyMode": "pac_script", "ProxyPacUrl": SETTINGS.pac_url, "ProxyPacMandatory": True}),
        ("IncognitoModeAvailability", 1),
        ("BrowserGuestModeEnabled", False),
        ("DnsOverHttpsMode", "off"),
        ("QuicAllowed", False),
        ("ForceGoogleSafeSearch", True),
        ("ForceYouTubeRestrict", 1),
        ("ExtensionInstallForcelist", [f"{plan.CHROME_EXTENSION_ID};http://127.0.0.1:8378/extension/chromium/updates.xml"]),
        ("3rdparty", {"extensions": {plan.CHROME_EXTENSION_ID: {"server": "http://127.0.0.1:8378"}}}),
    ],
)
def test_chromium_policy(name: str, value: object) -> None:
    assert browser_policies.chromium_policy(SETTINGS)[name] == value


def test_the_extension_cannot_be_removed_or_disabled() -> None:
    entry = browser_policies.chromium_policy(SETTINGS)["ExtensionSettings"][plan.CHROME_EXTENSION_ID]
    assert entry["installation_mode"] == "force_installed"
    firefox = browser_policies.firefox_policies(SETTINGS)["ExtensionSettings"][plan.FIREFOX_EXTENSION_ID]
    assert firefox == {"installation_mode": "force_installed",
                       "install_url": "http://127.0.0.1:8378/extension/kiteguard.xpi"}


# What Firefox is told.
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Proxy", {"Mode": "autoConfig", "AutoConfigURL": SETTINGS.pac_url, "Locked": True}),
        ("DisablePrivateBrowsing", True),
        ("DNSOverHTTPS", {"Enabled": False, "Locked": True}),
        ("Certificates", {"ImportEnterpriseRoots": True, "Install": [SETTINGS.ca_path]}),
        ("3rdparty", {"Extensions": {plan.FIREFOX_EXTENSION_ID: {"server": "http://127.0.0.1:8378"}}}),
        ("Preferences", {"network.http.http3.enable": {"Value": False, "Status": "locked"}}),
    ],
)
def test_firefox_policy(name: str, value: object) -> None:
    assert browser_policies.firefox_policies(SETTINGS)[name] == value


# An existing policies.json keeps the family's other policies; a broken one is replaced.
@pytest.mark.parametrize(
    ("existing", "kept"),
    [
        ('{"policies": {"DisableTelemetry": true, "Proxy": {"Mode": "none"}}}', {"DisableTelemetry": True}),
        ("not json {", {}),
        ('["a list"]', {}),
        ("", {}),
    ],
)
def test_firefox_file_merges(existing: str, kept: dict[str, object]) -> None:
    policies = json.loads(browser_policies.merged_firefox_file(existing, SETTINGS))["policies"]
    assert policies["Proxy"]["Mode"] == "autoConfig"
    assert {k: policies[k] for k in kept} == kept


# The strictest YouTube level among the children wins, because the policy is machine-wide.
@pytest.mark.parametrize(
    ("levels", "expected"),
    [([], "off"), (["off", "moderate"], "moderate"), (["moderate", "strict", "off"], "strict")],
)
def test_strictest_youtube(levels: list[str], expected: str) -> None:
    assert browser_policies.strictest_youtube(levels) == expected


def test_every_browser_gets_its_file(tmp_path: Path) -> None:
    steps = browser_policies.policy_steps(SETTINGS, SystemRoot(tmp_path))
    paths = {step.id: step.files[0].path for step in steps}
    assert paths == {
        "policy-chrome": "/etc/opt/chrome/policies/managed/kiteguard.json",
        "policy-chromium": "/etc/chromium/policies/managed/kiteguard.json",
        "policy-edge": "/etc/opt/edge/policies/managed/kiteguard.json",
        "policy-firefox": "/etc/firefox/policies/policies.json",
        "policy-firefox-esr": "/usr/lib/firefox-esr/distribution/policies.json",
    }


@pytest.mark.browser
async def test_real_chromium_obeys_the_machine_policy(kiteguard, tmp_path: Path) -> None:  # noqa: ANN001
    """The REAL /etc/chromium/policies/managed, written and removed by setup's own steps.

    The browser gets no proxy flag and no certificate flag: the policy sends it to the PAC file
    served by the running Kiteguard, and the CA is trusted through its NSS database.
    """
    playwright = pytest.importorskip("playwright.async_api")
    chromium_policy = Path("/etc/chromium/policies/managed/kiteguard.json")
    if chromium_policy.exists():
        pytest.skip("another Kiteguard policy is already installed on this machine")
    target = SystemRoot()
    child_home = tmp_path / "child"
    child_home.mkdir()
    settings = BrowserSettings(
        pac_url=f"http://127.0.0.1:{kiteguard.ui_port}/proxy.pac", ca_path=str(kiteguard.ca_pem),
        extension=plan.extension_source(kiteguard.ui_port), youtube="strict",
    )
    steps = [
        nss_step(UserAccount("root", str(child_home)), kiteguard.ca_pem, kiteguard.ca_pem.read_bytes(), target),
        *(step for step in browser_policies.policy_steps(settings, target) if step.id == "policy-chromium"),
    ]
    manifest = Manifest(tmp_path / "manifest")
    etc_before = sorted(p.name for p in Path("/etc/chromium").iterdir())
    try:
        outcomes = apply_steps(steps, target, manifest, datetime.now(timezone.utc))
        assert [o.status for o in outcomes] == ["done", "done"]
        async with playwright.async_playwright() as p:
            context = await p.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"], env={"HOME": str(child_home)},
            )
            try:
                page = context.pages[0] if context.pages else await context.new_page()
                # HTTPS through the proxy chosen by policy, with no certificate error
                await page.goto("https://site.test/hello")
                assert await page.title() == "site.test"
                # the forced policies are listed as in force
                await page.goto("chrome://policy")
                for name in ("IncognitoModeAvailability", "ForceGoogleSafeSearch", "ProxySettings", "QuicAllowed"):
                    await page.get_by_text(name, exact=True).first.wait_for(timeout=10_000)
                # incognito (an off-the-record context) is refused
                session = await context.new_cdp_session(page)
                with pytest.raises(Exception, match="Not allowed"):
                    await session.send("Target.createBrowserContext")
            finally:
                await context.close()
    finally:
        assert uninstall(target, manifest) == []
    assert not chromium_policy.exists()
    assert sorted(p.name for p in Path("/etc/chromium").iterdir()) == etc_before
    assert not (child_home / ".pki").exists()
