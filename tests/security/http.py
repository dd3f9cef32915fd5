"""Raw HTTP against the loopback apps (no proxy, no gradio_client): what an attacker's script sends."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def request(url: str, data: Any = None, method: str | None = None, headers: dict[str, str] | None = None,
            timeout: float = 30.0) -> tuple[int, bytes]:
    """(status, body); an HTTP error status is returned, not raised."""
    body = None
    hdrs = dict(headers or {})
    if isinstance(data, (dict, list)):
        body = json.dumps(data).encode()
        hdrs.setdefault("Content-Type", "application/json")
    elif isinstance(data, bytes):
        body = data
    req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def api_names(base: str) -> set[str]:
    status, body = request(base.rstrip("/") + "/config")
    assert status == 200, status
    config = json.loads(body)
    return {d.get("api_name") for d in config.get("dependencies", []) if d.get("api_name")}
