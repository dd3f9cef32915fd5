"""The one entry point the CLI and the Gradio app share.

``PolicyBot`` owns the store, the retriever and the answering step; UI callbacks and CLI commands
call a method and render what comes back, so behaviour is identical on every surface.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from bot import llm
from bot.answer import extractive, llm_answer_stream, localize
from bot.retrieval import HybridRetriever, SearchFilters
from bot.schemas import Answer, Citation
from bot.settings import Settings, get_settings
from ingest.models import DocMeta
from ingest.pipeline import FileResult, IngestReport, ingest_paths
from ingest.readers import SUPPORTED_SUFFIXES
from vectorstore.chroma_store import ClauseStore

log = logging.getLogger(__name__)

_FOLLOW_UP = re.compile(r"^(那|那么|这个|这些|它|该|此|还有|另外|同样)|[呢吗]？?$")


class QuestionError(ValueError):
    """A question the bot will not process (empty, too long); the message is for the user."""


class PolicyBot:
    def __init__(self, settings: Settings | None = None, store: ClauseStore | None = None) -> None:
        self.settings = settings or get_settings()
        self.store = store or ClauseStore(self.settings)
        self.retriever = HybridRetriever(self.store)
        self._write_lock = threading.Lock()

    # ----- index ----------------------------------------------------------------------------
    def ensure_index(self, progress: bool = True) -> IngestReport | None:
        """Build the index of the shipped corpus on first start; a later start reuses it."""
        if self.retriever.parts:
            return None
        return self.ingest([self.settings.corpus_dir], progress=progress)

    def ingest(self, paths: list[Path], progress: bool = True, force: bool = False,
               on_file: Callable[[FileResult], None] | None = None) -> IngestReport:
        with self._write_lock:
            report = ingest_paths(paths, self.store, force=force, progress=progress, on_file=on_file)
            self.retriever.reload()
        return report

    def remove(self, doc_id: str) -> bool:
        with self._write_lock:
            ok = self.store.remove_document(self.resolve_doc(doc_id) or doc_id)
            self.retriever.reload()
        return ok

    def add_upload(self, filename: str, source: Path) -> FileResult:
        """Copy an uploaded file into the data directory under a safe name, then ingest it."""
        name = safe_filename(filename)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            return FileResult(path=filename, doc_id="", status="skipped",
                              message=f"跳过 {name}：不支持的文件类型（支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}）")
        size = source.stat().st_size
        if size > self.settings.max_upload_bytes:
            return FileResult(path=filename, doc_id="", status="skipped",
                              message=f"跳过 {name}：文件过大（{size // 1024} KB，上限 {self.settings.max_upload_bytes // 1024} KB）")
        uploads = self.settings.data_dir / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        target = (uploads / name).resolve()
        if uploads.resolve() not in target.parents:
            return FileResult(path=filename, doc_id="", status="skipped", message=f"跳过 {filename}：文件名不安全")
        clash = next((d for d in self.store.documents() if d.meta.doc_id == target.stem
                      and d.meta.source_file and d.meta.source_file != target.name), None)
        if clash:  # policy.pdf is indexed already; policy.docx must not silently replace it
            target = target.with_name(f"{target.stem}-{target.suffix.lstrip('.').lower()}{target.suffix}")
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, partial)
        partial.replace(target)
        result = self.ingest([target], progress=False).results[0]
        if result.status == "skipped":
            target.unlink(missing_ok=True)  # a rejected file must not come back on `policybot rebuild`
        return result

    # ----- documents ------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        return [{**d.meta.model_dump(), "clause_count": d.clause_count, "version": d.version}
                for d in self.store.documents()]

    def resolve_doc(self, name: str) -> str | None:
        """Doc id from an id, title, short name or alias (CLI ``show 天津实施意见 6``)."""
        from bot.query import find_documents
        from ingest.clean import search_form

        ids = {m.doc_id for m in self.retriever.metas}
        if name in ids:
            return name
        scores = find_documents(search_form(name), self.retriever.metas)
        return max(scores, key=scores.get) if scores else None

    def outline(self, doc_id: str) -> list[Citation]:
        clauses = [c for c in self.retriever.clauses.values() if c.doc_id == doc_id]
        return [Citation.from_clause(c) for c in sorted(clauses, key=lambda c: c.order)]

    def clause(self, clause_id: str) -> Citation | None:
        c = self.retriever.clauses.get(clause_id)
        return Citation.from_clause(c) if c else None

    def metas(self) -> list[DocMeta]:
        return list(self.retriever.metas)

    # ----- search and answers ---------------------------------------------------------------
    def check_question(self, question: str) -> str:
        q = "".join(ch for ch in (question or "") if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
        if not q:
            raise QuestionError("请输入问题。")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(f"问题过长（{len(q)} 字），请精简到 {self.settings.max_question_chars} 字以内。")
        return q

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Citation]:
        q = self.check_question(query)
        self.retriever.refresh_if_changed()
        result = self.retriever.search(q, k, filters)
        return [Citation.from_clause(h.clause, score=round(h.score, 4), via=h.via) for h in result.hits]

    def standalone_question(self, question: str, history: list | None) -> str:
        """Follow-ups (``那广东呢？``) need the previous question to be searchable."""
        if not history:
            return question
        if self.settings.llm_configured:
            return llm.condense_question(question, history, self.settings)
        last_user = [m.get("content") if isinstance(m, dict) else m[0] for m in history
                     if (isinstance(m, dict) and m.get("role") == "user") or isinstance(m, (list, tuple))]
        limit = self.settings.max_question_chars
        last_user = [u for u in last_user if isinstance(u, str) and u.strip() and len(u) <= limit]
        own = self.retriever.search(question, 1).analysis
        if own.item and own.doc_ids:
            return question  # 天津实施意见第16条 stands on its own
        if last_user and (len(question) <= 12 or _FOLLOW_UP.search(question)):
            prev = last_user[-1]
            prev_analysis = self.retriever.search(prev, 1).analysis
            prev_docs = set(prev_analysis.doc_ids)
            now = own
            if now.item and not now.doc_ids and prev_docs:  # 那第16条呢？ → same document, new number
                names = [m.short_name or m.title for m in self.retriever.metas if m.doc_id in prev_docs]
                return f"{names[0]}{question.rstrip('？?呢')}"
            if now.doc_ids and prev_docs:  # 那广东呢：same question, other document
                from bot.query import doc_mention_keys
                from ingest.clean import search_form

                base = search_form(prev)
                for m in self.retriever.metas:
                    if m.doc_id in prev_docs:
                        for key in sorted(doc_mention_keys(m), key=len, reverse=True):
                            base = base.replace(key, "")
                return f"{question.rstrip('？?呢')} {base}"
            return f"{prev} {question}"
        return question

    def answer_stream(self, question: str, history: list | None = None,
                      filters: SearchFilters | None = None) -> Iterator[Answer]:
        """Partial answers (``done=False``) while the LLM streams, then the final one."""
        started = time.perf_counter()
        try:
            q = self.check_question(question)
        except QuestionError as exc:
            yield Answer(question=question or "", answer=str(exc), refused=True, mode="input-error")
            return
        self.retriever.refresh_if_changed()
        standalone = self.standalone_question(q, history)
        result = self.retriever.search(standalone, 8, filters)
        if self.settings.llm_configured and result.hits:
            final = None
            for final in llm_answer_stream(standalone, result, self.retriever, self.settings):
                final.question = q
                yield final
        else:
            final = localize(extractive(standalone, result, self.retriever))
            final.question = q
            yield final
        log.info("answered in %.0f ms (mode=%s, refused=%s)", (time.perf_counter() - started) * 1000,
                 final.mode if final else "-", final.refused if final else "-")

    def answer(self, question: str, history: list | None = None, filters: SearchFilters | None = None) -> Answer:
        final = None
        for final in self.answer_stream(question, history, filters):
            pass
        assert final is not None
        return final

    def mode_description(self) -> str:
        s = self.settings
        if not s.llm_configured:
            return "回答模式：检索摘录（未配置大模型）"
        return f"回答模式：大模型 {s.llm_model} @ {s.openai_base_url or 'api.openai.com'}"

    # ----- feedback -------------------------------------------------------------------------
    def record_feedback(self, answer: Answer | dict, rating: str, comment: str = "") -> Path:
        """Append a like/dislike with the full answer to ``feedback.jsonl`` (durable, reviewable)."""
        path = self.settings.data_dir / "feedback.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = answer.model_dump() if isinstance(answer, Answer) else dict(answer)
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "rating": rating, "comment": comment[:2000],
                  "question": data.get("question"), "answer": data.get("answer"), "mode": data.get("mode"),
                  "refused": data.get("refused"),
                  "citations": [{k: c.get(k) for k in ("clause_id", "citation", "item")} for c in data.get("citations", [])]}
        with self._write_lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
        return path


def safe_filename(name: str) -> str:
    """Only the final path component, no control or path characters, never hidden or empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip(" .")
    return base[:120] or "upload.txt"


_bot: PolicyBot | None = None
_bot_lock = threading.Lock()


def get_bot() -> PolicyBot:
    """Process-wide bot (the app serves many sessions from one index)."""
    global _bot
    with _bot_lock:
        if _bot is None:
            _bot = PolicyBot()
        return _bot
