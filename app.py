"""Start the policybot web UI: the public app (chat, lookup) and, with an admin password, the admin app.

    python app.py                      # http://127.0.0.1:7860 (POLICYBOT_HOST / POLICYBOT_PORT)
    python app.py --port 8080
    python app.py --listen-all         # listen on 0.0.0.0 (LAN access); same as POLICYBOT_HOST=0.0.0.0
    POLICYBOT_ADMIN_PASSWORD=… python app.py
                                       # + the admin app (upload/remove/rebuild) behind a login on
                                       #   http://127.0.0.1:7861 (POLICYBOT_ADMIN_HOST / POLICYBOT_ADMIN_PORT)

The public app has no write endpoint at all.  Without POLICYBOT_ADMIN_PASSWORD the admin app does not
start, so the web cannot change the library; the CLI (``policybot ingest/remove/rebuild``) still can.
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
# Gradio's queue recomputes a pandas summary of its last 10,000 events after *every* event (for its
# monitoring page), a cost that grows with the app's uptime and was ~5 % of a request's CPU under
# load.  Every 200 events over the last 2,000 is plenty for that page.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "200")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "2000")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="质量政策智能问答 Web 界面")
    p.add_argument("--host", default=None, help="listen address (default: POLICYBOT_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: POLICYBOT_PORT or 7860)")
    p.add_argument("--listen-all", "--share-all", dest="listen_all", action="store_true",
                   help="listen on all interfaces (0.0.0.0); never creates a public share link")
    p.add_argument("--admin-port", type=int, default=None,
                   help="admin app port (default: POLICYBOT_ADMIN_PORT or 7861; needs POLICYBOT_ADMIN_PASSWORD)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "httpcore"):  # Gradio's own start-up requests, one INFO line each
        logging.getLogger(chatty).setLevel(logging.WARNING)

    from bot.service import StoreUnavailable, get_bot

    try:
        bot = get_bot()
    except StoreUnavailable as exc:
        print(f"启动失败：{exc}（CHROMA_HOST={os.environ.get('CHROMA_HOST', '')}）", file=sys.stderr)
        return 3
    settings = bot.settings
    host = "0.0.0.0" if args.listen_all else (args.host or settings.host)
    port = args.port or settings.port

    print(f"数据目录：{settings.data_dir}", file=sys.stderr, flush=True)
    if not bot.retriever.size:  # the progress bar below counts the files
        print("首次启动：正在为内置政策文件建立索引（约半分钟，只需一次；以后启动直接使用）…", file=sys.stderr, flush=True)
    report = bot.library.ensure_index(progress=True)
    if report is not None:
        print(f"索引已建立：{report.summary()}", file=sys.stderr, flush=True)
    bot.start_index_watch()  # other processes' ingests are picked up in the background, not by a request
    print(bot.mode_description(), file=sys.stderr, flush=True)

    from bot.runtime import mark_absent_plot_library
    from bot.ui import build_admin_ui, build_ui, launch_options

    mark_absent_plot_library()

    if settings.admin_enabled:
        admin = build_admin_ui(bot)
        admin.queue(default_concurrency_limit=2)
        admin_port = args.admin_port or settings.admin_port
        admin.launch(server_name=settings.admin_host, server_port=admin_port, share=False, show_error=True,
                     auth=bot.admin.login, auth_message="文档管理：请使用管理员账号登录",
                     max_file_size=settings.max_upload_bytes, prevent_thread_lock=True, **launch_options())
        print(f"管理界面：http://{settings.admin_host}:{admin_port}（用户 {settings.admin_user}）",
              file=sys.stderr, flush=True)
    else:
        print("未设置 POLICYBOT_ADMIN_PASSWORD：管理界面未启动，网页端不能修改文档库（命令行仍可用）。",
              file=sys.stderr, flush=True)

    demo = build_ui(bot)
    demo.queue(default_concurrency_limit=8)
    print(f"界面地址：http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}", file=sys.stderr, flush=True)
    demo.launch(server_name=host, server_port=port, share=False, show_error=True,
                max_file_size=settings.max_upload_bytes, **launch_options())
    return 0


if __name__ == "__main__":
    sys.exit(main())
