"""`kill -9` in the middle of a policy write: afterwards the old or the new policy is in force,
never a broken one, and the proxy starts on it.

A writer process saves two policies in turn as fast as it can, the way `kiteguard policy import`
and the settings page do (validate, then one SQLite transaction); it is killed at random moments.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from faultprobe import get, put_policy, serves_normal_page

from kiteguard.proxy.paths import Home
from kiteguard.proxy.policyfile import dump_policy, parse_policy
from kiteguard.proxy.store import Store

from kgtest import Upstream, start_routed_kiteguard

POLICY = """
language = "vi"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "child"

[[profiles]]
name = "child"
deny = ["{denied}"]
"""
OLD, NEW = POLICY.format(denied="old.test"), POLICY.format(denied="new.test")
# Pads each write to a few hundred KB, so a kill lands inside a write more often than between two.
PADDING = "".join(f'\n[[profiles]]\nname = "guest{index}"\n' for index in range(1000))

# The policies arrive validated and dumped, as Store.save_policy receives them from the importer.
WRITER = """
import sys
from pathlib import Path
from kiteguard.proxy.store import Store
store = Store(Path(sys.argv[1]))
policies = [Path(name).read_text() for name in sys.argv[2:]]
print("writing", flush=True)
while True:
    for toml in policies:
        store.save_policy(toml)
"""


def _denied_host(home: Path) -> str:
    store = Store(Home(home).db_path)
    try:
        stored = store.load_policy()
        assert stored is not None
        household = parse_policy(stored.toml)  # never a broken policy: this raises if it is
        return household.profile("child").deny[0]
    finally:
        store.close()


def test_kill_9_during_policy_writes_leaves_old_or_new_in_force(tmp_path: Path, fault_site: Upstream) -> None:
    home = tmp_path / "home"
    put_policy(home, OLD)
    files = []
    for name, text in (("old.toml", OLD + PADDING), ("new.toml", NEW + PADDING)):
        files.append(tmp_path / name)
        files[-1].write_text(dump_policy(parse_policy(text)))
    seen = set()
    rng = random.Random(7)
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(Home(home).db_path), *map(str, files)],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        time.sleep(rng.uniform(0.05, 0.4))
        writer.kill()  # SIGKILL: no cleanup, no rollback by the writer
        writer.wait()
        writer.stdout.close()
        seen.add(_denied_host(home))
    assert seen <= {"old.test", "new.test"}

    kiteguard = start_routed_kiteguard(home, fault_site)
    try:
        in_force = _denied_host(home)
        other = ({"old.test", "new.test"} - {in_force}).pop()
        assert get(kiteguard.proxy_port, f"http://{in_force}/page").status == 403
        assert get(kiteguard.proxy_port, f"http://{other}/page").status == 200
        assert serves_normal_page(kiteguard.proxy_port)
    finally:
        kiteguard.stop()
