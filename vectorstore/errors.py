"""The store's one error type, importable without loading Chroma (the CLI catches it in every command)."""
from __future__ import annotations


class StoreUnavailable(Exception):
    """The index store (a Chroma server) cannot be reached; the message is for users."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("政策索引服务暂时无法连接，请稍后再试。")
        self.detail = detail
