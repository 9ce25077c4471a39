"""Test support: a local upstream (HTTP and HTTPS) and a real `kiteguard run` process.

Everything listens on 127.0.0.1 only. The upstream answers any Host header, so tests can use
made-up names like example-bad.vn: with lazy connections, Kiteguard only connects upstream for
allowed requests, and those are sent to the upstream by the test client's own proxying rules.
"""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
if os.environ.get("KITEGUARD_SHARED"):
    SHARED = Path(os.environ["KITEGUARD_SHARED"])


async def eventually(condition: Callable[[], object], *, within: float = 10.0) -> bool:
    """Wait for something the service writes behind the request (alerts, grants) to show up."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear reason."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"third-party test data not available: {path} (../shared is absent)")
    return path


@dataclass
class Upstream:
    http_port: int
    https_port: int
    ca_pem: Path
    process: subprocess.Popen

    def url(self, path: str = "/", *, tls: bool = False) -> str:
        port = self.https_port if tls else self.http_port
        return f"{'https' if tls else 'http'}://127.0.0.1:{port}{path}"


UPSTREAM_SCRIPT = Path(__file__).with_name("upstream_server.py")
LAUNCHER_SCRIPT = Path(__file__).with_name("kiteguard_launcher.py")


@dataclass
class Kiteguard:
    """A running `kiteguard run` process and what a test needs to talk through it."""

    home: Path
    process: subprocess.Popen
    proxy_port: int
    ui_port: int
    output: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def ca_pem(self) -> Path:
        return self.home / "ca" / "mitmproxy-ca-cert.pem"

    @property
    def ui(self) -> str:
        return f"http://127.0.0.1:{self.ui_port}"

    def fetch(self, url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None,
              method: str | None = None) -> Response:
        return fetch(url, proxy_port=self.proxy_port, ca=self.ca_pem, headers=headers, data=data, method=method)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> float:
        """Send a signal and return how long the process took to exit."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        took = time.monotonic() - started
        if self.reader is not None:
            self.reader.join(timeout=5)
        if self.process.stdout:
            self.process.stdout.close()
        return took

    @property
    def log(self) -> str:
        return "".join(self.output)


def kiteguard_command(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kiteguard", "--home", str(home), *args]


def run_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiteguard_command(home, *args), input=stdin, capture_output=True, text=True, timeout=60)


def start_kiteguard(home: Path, upstream_ca: Path | None = None, *extra: str) -> Kiteguard:
    """The real `kiteguard run` command; made-up host names would go to the network, so use 127.0.0.1."""
    args = ["run", "--proxy-port", "0", "--ui-port", "0", *extra]
    if upstream_ca is not None:
        args += ["--upstream-ca", str(upstream_ca)]
    return _wait_until_running(home, kiteguard_command(home, *args))


def start_routed_kiteguard(home: Path, upstream: Upstream) -> Kiteguard:
    """The real service, with made-up host names (site.test, example-bad.vn, ...) routed to the upstream."""
    command = [sys.executable, str(LAUNCHER_SCRIPT), str(home), str(upstream.http_port), str(upstream.https_port),
               str(upstream.ca_pem)]
    return _wait_until_running(home, command)


def _wait_until_running(home: Path, command: list[str]) -> Kiteguard:
    home.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    deadline = time.monotonic() + 30
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if line.startswith("Kiteguard is running"):
            proxy_port = int(line.split("proxy ", 1)[1].split(",")[0].rsplit(":", 1)[1])
            ui_port = int(line.split("settings http://", 1)[1].split("/")[0].rsplit(":", 1)[1])
            # Keep draining its output so a chatty process never blocks on a full pipe.
            reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
            reader.start()
            return Kiteguard(home, process, proxy_port, ui_port, output, reader)
    process.kill()
    process.wait()
    process.stdout.close()
    raise AssertionError("kiteguard run did not start:\n" + "".join(output))


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


def fetch(url: str, *, proxy_port: int, ca: Path, headers: dict[str, str] | None = None,
          data: bytes | None = None, method: str | None = None, timeout: float = 20.0) -> Response:
    """One request through the proxy, trusting only Kiteguard's CA; redirects are not followed."""
    context = ssl.create_default_context(cafile=str(ca))
    proxy = f"http://127.0.0.1:{proxy_port}"
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy}),
        urllib.request.HTTPSHandler(context=context),
        _NoRedirect,
    )
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=timeout) as reply:
            return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
