from ganviz.app import main
raise SystemExit(main())
