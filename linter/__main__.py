from argolint.cli.main import main

raise SystemExit(main())
