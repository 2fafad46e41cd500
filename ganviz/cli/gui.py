"""`ganviz gui` (and plain `ganviz`): open the app; `--screenshot` trains, saves the window, exits."""

from __future__ import annotations

import argparse

from ganviz.cli.common import add_config_args, build_config


def add_parser(sub) -> None:
    p = sub.add_parser("gui", help="open the app (optionally train N steps, save a screenshot and exit)")
    add_config_args(p)
    p.add_argument("--screenshot", metavar="PATH.png", help="train --steps, save the window as PNG, exit")
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    cfg, preset = build_config(args) if (args.preset or args.config or args.set or args.seed is not None
                                         or args.device) else (None, None)
    if args.screenshot:
        from ganviz.io.atomic import check_output
        check_output(args.screenshot, (".png",))
    if cfg is not None:
        from ganviz.core.targets import make_target
        make_target(cfg)  # a CSV target must be readable: refuse now, not after the window opened
        if preset is not None and cfg != preset.config:
            preset = None if args.set or args.config else preset
    return start_app(cfg, preset, args.steps, args.screenshot, args.cancel)


def start_app(cfg=None, preset=None, steps=None, screenshot=None, cancel=None, lesson=None, scene: int = 1) -> int:
    from ganviz.app import main as app_main
    return app_main(config=cfg, preset=preset, steps=steps, screenshot=screenshot, cancel=cancel, lesson=lesson,
                    scene=scene)
