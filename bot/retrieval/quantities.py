"""What a stated quantity looks like in a clause, by the kind a question asks for.

A "多少家" question is answered by "50家以上", a "比例" question by "90%", a "到哪年" question by
"到2025年", a "多久一次" question by "每季度"; the reranker prefers clauses that state the asked kind and
the answer composer quotes the sentence that does.
"""
from __future__ import annotations

import re

QUANTITY_PATTERNS: dict[str, re.Pattern[str]] = {
    "count": re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?(?:家|个|项|名|所|座|批|条|次|人|户|类|种|支|项次)"),
    "amount": re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?元"),
    "ratio": re.compile(r"\d+(?:\.\d+)?\s*%|百分之[一二三四五六七八九十百\d]+|\d+\s*成"),
    "deadline": re.compile(r"(?:19|20)\d{2}\s*年(?:底|末|前|起)?|\d{1,2}\s*月底|\d+\s*(?:个工作日|日内|天内|年内)"),
    # how often: 每季度, 每两年, 每半年, 一年一次, 一月一调度, 日管控、周排查、月调度, 逐年更新 (定期 says that it
    # recurs, not how often)
    "frequency": re.compile(r"每(?:[一二两三四五六七八九十\d]+个?|半)?(?:年|季度|季|月|周|星期|天|日)(?!内)"
                            r"|逐(?:年|季|月|周|日)"
                            r"|[一二两三四五\d]+(?:年|个月)一次|一(?:年|季|月|周|旬|日|天)一[\u4e00-\u9fff]"
                            r"|(?<![\u4e00-\u9fff])[日周月季年][\u4e00-\u9fff]{2}、[日周月季年][\u4e00-\u9fff]{2}"),
}
# a target's value with no unit — an index (制造业质量竞争力指数达到90): a quantity of no particular kind
BARE_VALUE = re.compile(r"(?:达到|提高到|提升到|降低到|降至|升至|不低于|不少于|超过)\s*\d+(?:\.\d+)?(?![\d.])")
# a figure of any kind (a target's): how often something recurs (每年开展…) is no target
ANY_QUANTITY = re.compile("|".join([*(p.pattern for k, p in QUANTITY_PATTERNS.items() if k != "frequency"),
                                    BARE_VALUE.pattern]))


def states_quantity(text: str, kind: str | None) -> bool:
    """Does the text state a quantity of ``kind`` (any kind when None)?"""
    pattern = QUANTITY_PATTERNS.get(kind or "", ANY_QUANTITY)
    return bool(pattern.search(text))
