"""Start the policybot web UI.

    python app.py                      # http://127.0.0.1:7860 (POLICYBOT_HOST / POLICYBOT_PORT)
    python app.py --port 8080
    python app.py --listen-all         # listen on 0.0.0.0 (LAN access); same as POLICYBOT_HOST=0.0.0.0

The first start builds the index of the shipped corpus (a progress bar is shown); later starts
reuse it.  All behaviour lives in :mod:`bot.service` and :mod:`bot.ui`.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

# No telemetry or update checks: the product runs on machines without internet access.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="质量政策智能问答 Web 界面")
    p.add_argument("--host", default=None, help="listen address (default: POLICYBOT_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: POLICYBOT_PORT or 7860)")
    p.add_argument("--listen-all", "--share-all", dest="listen_all", action="store_true",
                   help="listen on all interfaces (0.0.0.0); never creates a public share link")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from bot.service import get_bot

    bot = get_bot()
    settings = bot.settings
    host = "0.0.0.0" if args.listen_all else (args.host or settings.host)
    port = args.port or settings.port

    print(f"数据目录：{settings.data_dir}", file=sys.stderr, flush=True)
    report = bot.library.ensure_index(progress=True)
    if report is not None:
        print(f"索引已建立：{report.summary()}", file=sys.stderr, flush=True)
    print(bot.mode_description(), file=sys.stderr, flush=True)

    from bot.ui import build_ui, launch_options

    demo = build_ui(bot)
    demo.queue(default_concurrency_limit=8)
    print(f"界面地址：http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}", file=sys.stderr, flush=True)
    demo.launch(server_name=host, server_port=port, share=False, show_error=True,
                max_file_size=settings.max_upload_bytes, **launch_options())
    return 0


if __name__ == "__main__":
    sys.exit(main())
