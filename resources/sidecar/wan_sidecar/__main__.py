from wan_sidecar.server import main

raise SystemExit(main())
