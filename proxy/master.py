"""A lean mitmproxy master: only the add-ons a filtering proxy needs.

mitmdump loads about thirty add-ons (playback, HAR export, sticky cookies, map-local, …) and
calls each of them on every hook of every flow. Embedding lets us load only these, which is
part of why Kiteguard can filter and still keep pace with plain mitmdump (benchmarks/bench_proxy.py).
"""

from __future__ import annotations

from mitmproxy import master
from mitmproxy.addons import block, core, disable_h2c, errorcheck, next_layer, proxyserver, tlsconfig
from mitmproxy.options import Options

from . import headguard


class LeanMaster(master.Master):
    def __init__(self, options: Options) -> None:
        super().__init__(options, with_termlog=False)
        headguard.install()  # mitmproxy 11 buffers request and response heads without a limit
        self.addons.add(
            core.Core(),
            block.Block(),  # refuses clients from other networks unless the parent opens LAN access
            disable_h2c.DisableH2C(),
            proxyserver.Proxyserver(),
            next_layer.NextLayer(),
            tlsconfig.TlsConfig(),
            errorcheck.ErrorCheck(),  # a failed start-up exits instead of running half-configured
        )
