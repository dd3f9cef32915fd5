"""Input checks shared by every surface: a question the bot will not process gets a clear message."""
from __future__ import annotations

import unicodedata


class QuestionError(ValueError):
    """A question the bot will not process (empty, too long); the message is for the user."""


def drop_surrogates(text: str) -> str:
    """Lone surrogates (``"\\ud800"`` from a broken client) cannot be encoded; they are dropped."""
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


def check_question(question: str | None, max_chars: int) -> str:
    """The question without control characters and outer whitespace; raises :class:`QuestionError`."""
    q = "".join(ch for ch in (question or "") if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if not q:
        raise QuestionError("请输入问题。")
    if len(q) > max_chars:
        raise QuestionError(f"问题过长（{len(q)} 字），请精简到 {max_chars} 字以内。")
    return q
