from argolint.cli import main

raise SystemExit(main())
