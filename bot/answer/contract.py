"""The answer contract as code: refusal sentences, marker syntax, refusal reasons shown to users.

The values come from ``prompts/contract.toml`` — the same file the prompt templates are rendered
from — so the sentence the model is asked to write and the sentence the code recognises are one.
"""
from __future__ import annotations

from prompts import contract

_C = contract()

REFUSAL_PREFIX: str = _C["refusal_prefix"]
REFUSAL: str = _C["refusal_sentence"]
PARTIAL_LEAD: str = _C["partial_lead"]  # {missing}: what the documents do not state
REFUSAL_PATTERNS: tuple[str, ...] = (REFUSAL_PREFIX, *_C["refusal_phrases"])
SOURCE_MARKER: str = _C["source_marker"]  # [S{n}]: what the model writes
ANSWER_MARKER: str = _C["answer_marker"]  # [{n}]: what users see

# Why an answer was refused: machine code → sentence for the user.
REFUSAL_NOTICES: dict[str, str] = {
    "no_hits": "没有检索到任何条款。",
    "out_of_scope_region": "问题涉及的地区不在已收录文件的范围内。",
    "fact_not_in_sources": "已收录文件中没有问题所问的具体信息（如金额、网址、联系方式）。",
    "weak_evidence": "检索到的条款与问题关联较弱。",
    "name_not_in_sources": "问题用引号点名的事项在检索到的条款中没有出现。",
    "term_not_in_document": "问题所问的事项在所指文件中没有出现（其他已收录文件中有）。",
    "member_not_named": "问题问某家企业或某个品牌是否属于文件所说的一类，文件没有点名具体企业、品牌。",
    "document_not_collected": "问题所问的是一份未收录的文件本身的规定（如某部法律的条文）。",
    "subject_not_in_sources": "问题所问的事物在已收录文件中没有出现（连同义、近义的说法也没有）。",
}


def partial_lead(missing: str) -> str:
    """The first line of a partial answer: what the documents leave unsaid, then what they do say."""
    return PARTIAL_LEAD.format(missing=missing)


def source_marker(n: int) -> str:
    return SOURCE_MARKER.format(n=n)


def answer_marker(n: int) -> str:
    return ANSWER_MARKER.format(n=n)


def is_refusal_text(text: str) -> bool:
    """Does the text say the sources don't answer the question?"""
    head = text.strip()
    return any(p in head for p in REFUSAL_PATTERNS)
