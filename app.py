"""Start the policybot web UI: the public app (chat, lookup) and, with an admin password, the admin app.

    python app.py                      # http://127.0.0.1:7860 (POLICYBOT_HOST / POLICYBOT_PORT)
    python app.py --port 8080
    python app.py --listen-all         # listen on 0.0.0.0 (LAN access); same as POLICYBOT_HOST=0.0.0.0
    POLICYBOT_ADMIN_PASSWORD=… python app.py
                                       # + the admin app (upload/remove/rebuild) behind a login on
                                       #   http://127.0.0.1:7861 (POLICYBOT_ADMIN_HOST / POLICYBOT_ADMIN_PORT)
    POLICYBOT_API_KEYS=k1,k2 python app.py
                                       # + the HTTP API at /v1 on the same port (bot/api); /healthz,
                                       #   /readyz and /metrics are always served

The public app has no write endpoint at all, and takes no file (``bot/ui/gate.py``).  Without
POLICYBOT_ADMIN_PASSWORD the admin app does not start, so the web cannot change the library; the CLI
(``policybot ingest/remove/rebuild``) still can.
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
    from bot.api.context import configure_logging
    from bot.service import StoreUnavailable, get_bot
    from bot.settings import get_settings
    from vectorstore.errors import DiskFull, disk_nearly_full, is_disk_full

    configure_logging(get_settings().log_format)
    for chatty in ("httpx", "httpcore"):  # Gradio's own start-up requests, one INFO line each
        logging.getLogger(chatty).setLevel(logging.WARNING)

    try:
        bot = get_bot()
        settings = bot.settings
        print(f"数据目录：{settings.data_dir}", file=sys.stderr, flush=True)
        if not bot.retriever.size:  # the progress bar below counts the files
            print("首次启动：正在为内置政策文件建立索引（约半分钟，只需一次；以后启动直接使用）…", file=sys.stderr, flush=True)
        report = bot.library.ensure_index(progress=True)
        bot.store.open()  # a serving process opens Chroma at start (commands open it only when they need it)
    except StoreUnavailable as exc:
        print(f"启动失败：{exc}（CHROMA_HOST={os.environ.get('CHROMA_HOST', '')}）", file=sys.stderr)
        return 3
    except Exception as exc:
        data_dir = os.environ.get("POLICYBOT_DATA_DIR", "")
        if not (is_disk_full(exc) or disk_nearly_full(data_dir or None)):
            raise
        print(f"启动失败：{DiskFull(data_dir)}", file=sys.stderr)
        return 4
    host = "0.0.0.0" if args.listen_all else (args.host or settings.host)
    port = args.port or settings.port

    if report is not None:
        print(f"索引已建立：{report.summary()}", file=sys.stderr, flush=True)
    bot.start_index_watch()  # other processes' ingests are picked up in the background, not by a request
    print(bot.mode_description(), file=sys.stderr, flush=True)

    from bot.runtime import mark_absent_plot_library
    from bot.ui import build_admin_ui, build_ui, launch_options
    from bot.ui.gate import admin_app_kwargs, login_with_address, public_app_kwargs

    mark_absent_plot_library()
    from bot.ui.assets import TEMP_FILE_TTL
    from bot.ui.tempfiles import EXPORT_DIR, gradio_temp_dir, start_sweeper

    # What an earlier run left (exports, upload copies) goes now; later leftovers every TTL period.
    start_sweeper([gradio_temp_dir(), EXPORT_DIR], age=TEMP_FILE_TTL[1], every=TEMP_FILE_TTL[0])

    if settings.admin_enabled:
        admin = build_admin_ui(bot)
        admin.queue(default_concurrency_limit=2)
        admin_port = args.admin_port or settings.admin_port
        admin.launch(server_name=settings.admin_host, server_port=admin_port, share=False, show_error=True,
                     auth=login_with_address(bot.admin.login), auth_message="文档管理：请使用管理员账号登录",
                     max_file_size=settings.max_upload_bytes, prevent_thread_lock=True, run_history=False,
                     app_kwargs=admin_app_kwargs(), **launch_options())
        print(f"管理界面：http://{settings.admin_host}:{admin_port}（用户 {settings.admin_user}）",
              file=sys.stderr, flush=True)
    else:
        print("未设置 POLICYBOT_ADMIN_PASSWORD：管理界面未启动，网页端不能修改文档库（命令行仍可用）。",
              file=sys.stderr, flush=True)

    import gradio as gr
    import uvicorn

    from bot.api import create_api

    demo = build_ui(bot)
    demo.queue(default_concurrency_limit=settings.concurrency)
    # One FastAPI app, one port: the API's routes first, the page mounted at / behind them.  The page takes no
    # file (max_file_size=0, and its gate refuses the upload routes outright); /v1 has its own keys and limits.
    app = gr.mount_gradio_app(create_api(bot), demo, path="/", server_name=host, server_port=port, show_error=True,
                              max_file_size=0, run_history=False, app_kwargs=public_app_kwargs(), **launch_options())
    shown = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    print(f"界面地址：{shown}", file=sys.stderr, flush=True)
    print(f"API：{shown}/v1（文档 {shown}/v1/docs）" if bot.api_keys.enabled else
          "未配置 API 密钥（POLICYBOT_API_KEYS 或管理界面）：/v1 未开放。", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
