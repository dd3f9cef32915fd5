"""Prompt assembly for the LLM: the answer messages and the follow-up rewrite (condensation).

Rules go in the system message; every untrusted text (retrieved clauses, the user's question, the
chat history) goes inside delimited data sections of the user message, with our delimiters defanged
inside the data, so data can never close its own section.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.answer.contract import REFUSAL_PREFIX, partial_lead
from bot.answer.llm import LLMUnavailable, complete

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage
from bot.answer.tokens import count_tokens
from bot.retrieval.answer_types import by_name
from bot.settings import Settings
from prompts import load_prompt

__all__ = ["build_answer_messages", "condense_question"]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Prompt assembly
# ---------------------------------------------------------------------------------------------
_DELIMITER_RE = re.compile(r"<<<|>>>")


def _defang(text: str) -> str:
    """Neutralise our prompt delimiters inside data, so data cannot close its own data section."""
    return _DELIMITER_RE.sub(lambda m: "«" if m.group(0) == "<<<" else "»", text)


def guidance(answer_type: str, documents: list[str], missing: str = "") -> str:
    """The answer type, the documents named (in the question's order) and, for a partial answer, the
    fact the sources do not state, for the model."""
    prompt = by_name(answer_type).guidance  # what the model is told to lead with: prompts/guidance_<type>.txt
    lines = [load_prompt(prompt) if prompt else ""]
    if missing:
        lines.append(f"资料中没有写明{missing}：回答以“{partial_lead(missing)}”开头，再说明资料提供了什么。")
    if documents:
        lines.append("问题涉及的文件（按提问顺序）：" + "、".join(f"《{d}》" for d in documents) + "。")
    return "\n".join(line for line in lines if line)


def build_answer_messages(question: str, sources_block: str, guide: str = "") -> list[BaseMessage]:
    """System prompt first, then one user message carrying the sources and the question as data.

    Keeping the rules in the system message and all untrusted text (retrieved clauses, the user's
    question) inside delimited sections of the user message is our main prompt-injection defence;
    the system prompt tells the model to treat those sections as data only.
    """
    user = load_prompt("answer_user").format(sources=_defang(sources_block), question=_defang(question.strip()),
                                             guidance=guide)
    from langchain_core.messages import HumanMessage, SystemMessage  # loaded with the first LLM call

    return [SystemMessage(content=load_prompt("answer_system")), HumanMessage(content=user)]


# ---------------------------------------------------------------------------------------------
# Follow-up condensation
# ---------------------------------------------------------------------------------------------
HistoryLike = Sequence[tuple[str | None, str | None]] | Sequence[Mapping[str, Any]]

_ROLE_LABELS = {"user": "用户", "human": "用户", "assistant": "助手", "ai": "助手", "bot": "助手"}
_CONDENSE_PREFIX_RE = re.compile(
    r"^\s*(?:独立问题|獨立問題|改写后的问题|改寫後的問題|改写后问题|改写|问题|問題|standalone question|question)\s*[:：]\s*",
    re.IGNORECASE,
)
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』", "`": "`"}
_MARKER_CLEAN_RE = re.compile(r"\[(?:S?\d+)\]|【S?\d+】")
_MAX_TURN_CHARS = 300


def _message_text(content: Any) -> str:
    """Text of a history message: str, Gradio ``{"text": …}``/``{"type": "text", …}`` or a list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        if content.get("type") in (None, "text") and isinstance(content.get("text"), str):
            return content["text"]
        return ""
    if isinstance(content, (list, tuple)):
        return " ".join(t for t in (_message_text(c) for c in content) if t)
    return ""


def _normalise_history(history: HistoryLike | None) -> list[tuple[str, str]]:
    """Accept ``[(user, assistant), …]`` pairs or ``[{"role", "content"}, …]`` dicts."""
    out: list[tuple[str, str]] = []
    for item in history or []:
        if isinstance(item, Mapping):
            role = _ROLE_LABELS.get(str(item.get("role", "")).lower())
            text = _message_text(item.get("content"))
            if role and text.strip():
                out.append((role, text))
        elif isinstance(item, (list, tuple)) and len(item) >= 2:
            user, bot = _message_text(item[0]), _message_text(item[1])
            if user.strip():
                out.append(("用户", user))
            if bot.strip():
                out.append(("助手", bot))
    return out


def _render_history(turns: list[tuple[str, str]], budget_tokens: int) -> str:
    """Most recent turns, each shortened, oldest dropped first until the block fits the budget."""
    lines = []
    for role, text in turns:
        text = _MARKER_CLEAN_RE.sub("", " ".join(text.split()))
        if len(text) > _MAX_TURN_CHARS:
            text = text[:_MAX_TURN_CHARS] + "……"
        lines.append(f"{role}：{_defang(text)}")
    while len(lines) > 1 and count_tokens("\n".join(lines)) > budget_tokens:
        lines.pop(0)
    return "\n".join(lines)


def _clean_condensed(text: str, original: str) -> str | None:
    """First non-empty line, minus ``问题：``-style prefixes and wrapping quotes; None if unusable."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _CONDENSE_PREFIX_RE.sub("", line).strip()
    # Strip quotes wrapping the whole line, but not “A”和“B” (the closer reappears inside).
    while len(line) >= 2 and line[-1] == _QUOTE_PAIRS.get(line[0]) and line[-1] not in line[1:-1]:
        line = line[1:-1].strip()
    if not line:
        return None
    if REFUSAL_PREFIX in line or len(line) > max(300, 3 * len(original) + 200):
        return None  # the model answered / rambled instead of rewriting
    return line


def condense_question(
    question: str,
    history: HistoryLike | None,
    settings: Settings,
    *,
    max_turns: int = 6,
    history_token_budget: int = 800,
) -> str:
    """Rewrite a follow-up (``那广东呢？``) into a standalone question using the chat history.

    Retrieval needs the full question; the chat UI only has the follow-up.  This is a convenience,
    not a requirement, so it never fails: without history, or on any error (LLM down, odd output),
    the original question is returned unchanged.  It makes a single attempt (no retries) so a dead
    endpoint doesn't double the user's wait before the main answer call.
    """
    try:
        turns = _normalise_history(history)[-2 * max_turns:]
        if not turns or not question.strip() or not settings.llm_configured:
            return question
        prompt = load_prompt("condense").format(
            history=_render_history(turns, history_token_budget), question=_defang(question.strip())
        )
        from langchain_core.messages import HumanMessage

        raw = complete([HumanMessage(content=prompt)], settings, max_retries=0)
        cleaned = _clean_condensed(raw, question)
        return cleaned if cleaned is not None else question
    except LLMUnavailable as exc:
        logger.info("condense_question fell back to the original question (%s)", exc.kind)
        return question
    except Exception as exc:
        logger.info("condense_question fell back to the original question (%s)", type(exc).__name__)
        return question
