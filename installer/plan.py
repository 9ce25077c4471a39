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

STEP_GROUPS = ("ca", "routing", "policy", "autostart")
DEFAULT_PROXY_PORT = 8080
DEFAULT_UI_PORT = 8081
SERVICE_USER = "kiteguard"


@dataclass(frozen=True)
class SetupConfig:
    home: Path
    ca_cert_path: Path
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
    ca_pem = config.ca_cert_path.read_bytes()
    settings = BrowserSettings(
        pac_url=routing.pac_url(config.ui_port),
        ca_path=ca.DEBIAN_CERT,
        extension=config.extension,
        pairing=dict(config.pairing),
        youtube=config.youtube,
    )
    service = autostart.ServicePlan(config.service_user, str(config.home), config.program)
    steps = (
        ca.system_trust_step(ca_pem, target),
        *(ca.nss_step(user, config.ca_cert_path, target) for user in config.users),
        *routing.linux_steps(config.proxy_port, config.ui_port, target),
        *browser_policies.policy_steps(settings, target),
        *autostart.linux_steps(service, target),
    )
    return tuple(step for step in steps if not config.skips(step.id))


def unknown_skips(config: SetupConfig, steps: tuple[Step, ...]) -> list[str]:
    """Names given to ``--skip`` that match no step, so a typo is reported, not ignored."""
    ids = [step.id for step in steps]
    return sorted(
        name for name in config.skip
        if name not in STEP_GROUPS and not any(i == name or i.startswith(name + "-") for i in ids)
    )
