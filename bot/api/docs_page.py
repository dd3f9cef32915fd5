"""``/v1/docs``: the API reference as one self-contained HTML page rendered from the OpenAPI schema.

FastAPI's Swagger and ReDoc pages load their scripts from a CDN, which the machines this product runs
on cannot reach; this page needs nothing but the schema (also served at ``/v1/openapi.json``).
"""
from __future__ import annotations

import html
import json
from typing import Any

STYLE = """body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em}code,pre{background:#f5f5f5;border-radius:3px;padding:.1em .3em}
pre{padding:.6em;overflow:auto}.m{font-weight:700;color:#06c;margin-right:.5em}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}"""


def _ref(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ref(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_ref(schema.get('items', {}))}]"
    return str(schema.get("type", "object"))


def render_docs(spec: dict[str, Any]) -> str:
    e = html.escape
    out = [f"<!doctype html><html lang='zh'><meta charset='utf-8'><title>{e(spec['info']['title'])}</title>",
           f"<style>{STYLE}</style><h1>{e(spec['info']['title'])} <small>{e(spec['info'].get('version', ''))}</small></h1>",
           f"<p>{e(spec['info'].get('description', ''))}</p><p>Schema: <a href='openapi.json'>openapi.json</a></p>"]
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            out.append(f"<h2><span class='m'>{method.upper()}</span><code>{e(path)}</code></h2>")
            out.append(f"<p>{e(op.get('description') or op.get('summary') or '')}</p>")
            params = op.get("parameters", [])
            if params:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>")
                out += [f"<tr><td><code>{e(p['name'])}</code>{'*' if p.get('required') else ''}</td><td>{e(p['in'])}</td>"
                        f"<td>{e(_ref(p.get('schema', {})))}</td><td>{e(p.get('description', ''))}</td></tr>" for p in params]
                out.append("</table>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                out.append(f"<p>Body: <code>{e(_ref(body))}</code></p>")
            codes = ", ".join(f"{code} {_ref(r.get('content', {}).get('application/json', {}).get('schema', {}))}"
                              for code, r in op.get("responses", {}).items())
            out.append(f"<p>Responses: {e(codes)}</p>")
    out.append("<h2>Schemas</h2>")
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        out.append(f"<h3 id='{e(name)}'>{e(name)}</h3><p>{e(schema.get('description', ''))}</p>")
        out.append(f"<pre>{e(json.dumps(schema.get('properties', {}), ensure_ascii=False, indent=1))}</pre>")
    return "\n".join(out)
