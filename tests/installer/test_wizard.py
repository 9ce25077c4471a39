"""Steps as data: check, apply, undo, and how a run stops."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kiteguard.installer.actions import Command, FileWrite, PathMode, SystemRoot
from kiteguard.installer.manifest import Manifest
from kiteguard.installer.wizard import Step, apply_steps, uninstall

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)
WRITE = Step("write", "step.routing_kde", files=(FileWrite("/etc/kiteguard-test/a.conf", b"ours\n", 0o640),))
FAILING = Step("broken", "step.routing_kde", commands=(Command(("false",)),))
AFTER = Step("after", "step.routing_kde", files=(FileWrite("/etc/later.conf", b"x"),))


def test_describe_lists_files_and_commands_on_the_target(tmp_path: Path) -> None:
    step = Step("s", "step.routing_kde", files=WRITE.files, modes=(PathMode("/srv/k", 0o700, "root"),),
                commands=(Command(("echo", "hi there")), Command(("systemctl", "start", "x"), live_only=True)))
    assert step.describe(SystemRoot(tmp_path)) == [
        f"set {tmp_path}/srv/k to mode 0700, owner root",
        f"write {tmp_path}/etc/kiteguard-test/a.conf (mode 0640)",
        "run echo 'hi there'",
        "run systemctl start x  (only on the real system)  [skipped under --root]",
    ]


def test_check_sees_content_and_mode(tmp_path: Path) -> None:
    target = SystemRoot(tmp_path)
    assert not WRITE.check(target)
    apply_steps([WRITE], target, Manifest(tmp_path / "m"), NOW)
    assert WRITE.check(target)
    target.path("/etc/kiteguard-test/a.conf").chmod(0o644)
    assert not WRITE.check(target)


def test_a_failing_step_stops_the_run_and_what_was_done_can_be_undone(tmp_path: Path) -> None:
    target = SystemRoot(tmp_path / "root")
    manifest = Manifest(tmp_path / "m")
    outcomes = apply_steps([WRITE, FAILING, AFTER], target, manifest, NOW)
    assert [(o.step, o.status) for o in outcomes] == [("write", "done"), ("broken", "failed")]
    assert "false exited 1" in outcomes[1].detail
    assert not target.path("/etc/later.conf").exists()
    assert uninstall(target, manifest) == []
    assert not (tmp_path / "root" / "etc").exists()


def test_declined_steps_are_skipped(tmp_path: Path) -> None:
    target = SystemRoot(tmp_path)
    outcomes = apply_steps([WRITE, AFTER], target, Manifest(tmp_path / "m"), NOW, confirm=lambda s: s.id == "after")
    assert [o.status for o in outcomes] == ["skipped", "done"]
    assert not target.path("/etc/kiteguard-test/a.conf").exists()


def test_one_step_can_be_undone_alone(tmp_path: Path) -> None:
    target = SystemRoot(tmp_path / "root")
    manifest = Manifest(tmp_path / "m")
    apply_steps([WRITE, AFTER], target, manifest, NOW)
    assert WRITE.undo(target, manifest) == []
    assert not target.path("/etc/kiteguard-test").exists()
    assert target.path("/etc/later.conf").exists()
    assert manifest.applied_steps() == ["after"]


def test_live_only_commands_do_not_run_under_a_root(tmp_path: Path) -> None:
    step = Step("s", "step.routing_kde", commands=(Command(("false",), live_only=True),))
    outcomes = apply_steps([step], SystemRoot(tmp_path), Manifest(tmp_path / "m"), NOW)
    assert [o.status for o in outcomes] == ["already"]  # nothing to do here, and "false" never ran


def test_commands_run_as_the_account_they_are_for() -> None:
    assert Command(("certutil", "-L"), user="an").full_argv() == ("runuser", "-u", "an", "--", "certutil", "-L")
    assert Command(("certutil", "-L"), user="root").full_argv() == ("certutil", "-L")
