"""Which steps setup takes on this machine, built from the parent's answers.

The order matters: the CA is trusted before browsers are pointed at the proxy, and the service
starts last, once everything it needs is in place.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiteguard.installer import autostart, browser_policies, ca, routing
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.browser_policies import BrowserSettings, ExtensionSource
from kiteguard.installer.ca import UserAccount
from kiteguard.installer.wizard import Step
from kiteguard.proxy.ports import DEFAULT_PROXY_PORT, DEFAULT_UI_PORT

STEP_GROUPS = ("ca", "routing", "policy", "autostart")
SERVICE_USER = "kiteguard"
# The extension's ids: Chromium derives its id from the manifest "key", Firefox reads the gecko id.
CHROME_EXTENSION_ID = "kmbgcnpgaadbjfmgkdapfbhckdmpfkhb"
FIREFOX_EXTENSION_ID = "extension@kiteguard.invalid"
CA_COMMON_NAME = "Kiteguard Family Protection CA"  # as kiteguard.proxy.certauthority names it


def extension_source(ui_port: int) -> ExtensionSource:
    """Kiteguard serves the extension packages itself, so installing needs no store and no internet."""
    base = f"http://127.0.0.1:{ui_port}/extension"
    return ExtensionSource(CHROME_EXTENSION_ID, f"{base}/chromium/updates.xml",
                           FIREFOX_EXTENSION_ID, f"{base}/kiteguard.xpi")


@dataclass(frozen=True)
class SetupConfig:
    home: Path
    ca_cert_path: Path  # where the CA's certificate is (or will be) under home
    ca_pem: bytes
    extension: ExtensionSource
    users: tuple[UserAccount, ...] = ()
    skip: frozenset[str] = frozenset()
    proxy_port: int = DEFAULT_PROXY_PORT
    ui_port: int = DEFAULT_UI_PORT
    youtube: str = "strict"
    pairing: tuple[tuple[str, str], ...] = ()
    service_user: str = SERVICE_USER
    program: tuple[str, ...] = field(default_factory=lambda: (sys.executable, "-m", "kiteguard"))

    def skips(self, step_id: str) -> bool:
        """``--skip policy`` skips every policy step; ``--skip policy-edge`` only that one."""
        return any(step_id == name or step_id.startswith(name + "-") for name in self.skip)


def linux_steps(config: SetupConfig, target: SystemRoot) -> tuple[Step, ...]:
    ca_pem = config.ca_pem
    settings = BrowserSettings(
        pac_url=routing.pac_url(config.ui_port),
        ca_path=ca.FEDORA_CERT if ca.system_flavour() == "fedora" else ca.DEBIAN_CERT,
        extension=config.extension,
        pairing=dict(config.pairing),
        youtube=config.youtube,
    )
    service = autostart.ServicePlan(config.service_user, str(config.home), config.program,
                                   config.proxy_port, config.ui_port)
    steps = (
        ca.system_trust_step(ca_pem, target),
        *(ca.nss_step(user, config.ca_cert_path, ca_pem, target) for user in config.users),
        *routing.linux_steps(config.proxy_port, config.ui_port, target),
        *browser_policies.policy_steps(settings, target),
        *autostart.linux_steps(service, target),
    )
    return tuple(step for step in steps if not config.skips(step.id))


def windows_steps(config: SetupConfig) -> tuple[Step, ...]:
    """Exact commands for Windows (run from an elevated prompt); not tested on Windows by our CI."""
    home = str(config.home)
    service = autostart.ServicePlan("SYSTEM", home, config.program, config.proxy_port, config.ui_port)
    steps = (
        ca.windows_trust_step(str(config.ca_cert_path), CA_COMMON_NAME),
        routing.windows_step(config.ui_port),
        autostart.windows_step(service, home),
    )
    return tuple(step for step in steps if not config.skips(step.id))


def macos_steps(config: SetupConfig) -> tuple[Step, ...]:
    """Exact files and commands for macOS (run with sudo); not tested on macOS by our CI."""
    service = autostart.ServicePlan(config.service_user, str(config.home), config.program,
                                    config.proxy_port, config.ui_port)
    steps = (
        ca.macos_trust_step(str(config.ca_cert_path)),
        routing.macos_step(config.ui_port),
        autostart.macos_step(service),
    )
    return tuple(step for step in steps if not config.skips(step.id))


def steps_for(platform: str, config: SetupConfig, target: SystemRoot) -> tuple[Step, ...]:
    """``platform`` is "linux", "windows" or "macos"."""
    if platform == "windows":
        return windows_steps(config)
    if platform == "macos":
        return macos_steps(config)
    return linux_steps(config, target)


def this_platform() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")


def unknown_skips(config: SetupConfig, steps: tuple[Step, ...]) -> list[str]:
    """Names given to ``--skip`` that match no step, so a typo is reported, not ignored."""
    ids = [step.id for step in steps]
    return sorted(
        name for name in config.skip
        if name not in STEP_GROUPS and not any(i == name or i.startswith(name + "-") for i in ids)
    )
