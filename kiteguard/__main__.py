from kiteguard.proxy.cli import main

raise SystemExit(main())
