from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from blocklist_files import lists_dir_fixture, write  # noqa: F401 (fixtures)

from kiteguard.blocklists.export import EXPORT_FORMATS, collect, prune_covered, render
from kiteguard.blocklists.registry import SourceRegistry

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def registry(lists_dir: Path) -> SourceRegistry:
    registry = SourceRegistry(lists_dir)
    incoming = lists_dir.parent / "incoming"
    registry.import_file(write(incoming / "adult.txt", "bad.example\nsub.bad.example\nxn--shopgcaoth-043e.vn\n"),
                         "adult", None, NOW)
    registry.import_file(write(incoming / "ads.txt", "||ads.example^\n@@||ok.ads.example^\n"), "malware", None, NOW)
    registry.import_file(write(incoming / "games.txt", "roblox.com\n_dmarc.games.example\n"), "games", None, NOW)
    registry.import_file(write(incoming / "urls", "casino.example/poker/\n"), "gambling", None, NOW)
    return registry


def export(registry: SourceRegistry, fmt: str, categories: list[str] | None = None) -> str:
    return render(collect(registry.lists_dir, registry.sources, categories), fmt, NOW)


@pytest.mark.parametrize(
    ("fmt", "blocked", "allowed"),
    [
        ("hosts", "0.0.0.0 bad.example", None),
        ("dnsmasq", "address=/bad.example/0.0.0.0", "server=/ok.ads.example/#"),
        ("unbound", '    local-zone: "bad.example." always_null', '    local-zone: "ok.ads.example." transparent'),
        ("rpz", "*.bad.example CNAME .", "ok.ads.example CNAME rpz-passthru."),
        ("adguard", "||bad.example^", "@@||ok.ads.example^"),
    ],
)
def test_each_export_blocks_names_and_lets_exceptions_through(
    registry: SourceRegistry, fmt: str, blocked: str, allowed: str | None
) -> None:
    lines = export(registry, fmt).splitlines()
    assert blocked in lines
    if allowed:
        assert allowed in lines
    assert "1 URL-prefix entries cannot be expressed in DNS" in lines[1]
    assert not any("casino.example" in line for line in lines)


def test_subdomains_of_a_listed_domain_are_left_to_the_server() -> None:
    assert prune_covered(["a.example", "x.a.example", "b.example", "a.example.org"]) == [
        "a.example", "a.example.org", "b.example"
    ]


def test_hosts_keeps_subdomains_because_hosts_files_match_exact_names(registry: SourceRegistry) -> None:
    assert "0.0.0.0 sub.bad.example" in export(registry, "hosts").splitlines()


def test_categories_limit_the_export(registry: SourceRegistry) -> None:
    text = export(registry, "adguard", ["games"])
    assert "||roblox.com^" in text and "bad.example" not in text


@pytest.mark.skipif(shutil.which("unbound-checkconf") is None, reason="unbound is not installed (apt unbound)")
def test_unbound_accepts_the_export(registry: SourceRegistry, tmp_path: Path) -> None:
    config = write(tmp_path / "kiteguard.conf", export(registry, "unbound"))
    result = subprocess.run(["unbound-checkconf", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("dnsmasq") is None, reason="dnsmasq is not installed (apt dnsmasq-base)")
def test_dnsmasq_accepts_the_export(registry: SourceRegistry, tmp_path: Path) -> None:
    config = write(tmp_path / "kiteguard.conf", export(registry, "dnsmasq"))
    result = subprocess.run(["dnsmasq", "--test", f"--conf-file={config}"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "syntax check OK" in result.stderr, result.stderr


def dns_query(port: int, name: str) -> tuple[int, list[str]]:
    """(rcode, IPv4 answers) for an A query to 127.0.0.1:port."""
    question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    packet = struct.pack(">HHHHHH", 0x4B47, 0x0100, 1, 0, 0, 0) + question + struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(2)
        client.sendto(packet, ("127.0.0.1", port))
        reply, _ = client.recvfrom(4096)
    rcode, answers = reply[3] & 0x0F, struct.unpack(">H", reply[6:8])[0]
    offset, addresses = 12 + len(question) + 4, []
    for _ in range(answers):
        offset += 2  # a compressed pointer to the question's name
        kind, _cls, _ttl, length = struct.unpack(">HHIH", reply[offset : offset + 10])
        offset += 10
        if kind == 1:
            addresses.append(socket.inet_ntoa(reply[offset : offset + length]))
        offset += length
    return rcode, addresses


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(shutil.which("dnsmasq") is None, reason="dnsmasq is not installed (apt dnsmasq-base)")
def test_a_loopback_dnsmasq_answers_blocked_names_with_the_sinkhole(registry: SourceRegistry, tmp_path: Path) -> None:
    config = write(tmp_path / "kiteguard.conf", export(registry, "dnsmasq"))
    port = free_udp_port()
    server = subprocess.Popen(
        ["dnsmasq", "--keep-in-foreground", f"--conf-file={config}", f"--port={port}", "--listen-address=127.0.0.1",
         "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file", "--user=root"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = dns_query(port, "www.sub.bad.example")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert answer == (0, ["0.0.0.0"])
        assert dns_query(port, "roblox.com") == (0, ["0.0.0.0"])
        assert dns_query(port, "ok.ads.example")[1] == []  # sent upstream (there is none here), not sinkholed
    finally:
        server.terminate()
        server.wait(timeout=10)
        for stream in (server.stdout, server.stderr):
            if stream:
                stream.close()


def test_every_format_renders(registry: SourceRegistry) -> None:
    for fmt in EXPORT_FORMATS:
        assert "bad.example" in export(registry, fmt)
