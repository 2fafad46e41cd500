from ganviz.cli import main
if __name__ == "__main__": raise SystemExit(main())  # noqa: E701 (guarded: training runs in a spawned process)
