"""Lexical side of hybrid search: jieba segmentation + BM25 (bm25s) over simplified search text.

Policy vocabulary is full of compounds that a general segmenter splits (质量基础设施, 首席质量官,
双随机、一公开); a user dictionary built from the corpus keeps them whole.  Character bigrams are
indexed beside the words so that a paraphrase sharing only part of a compound still scores.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable

import bm25s
import jieba
import numpy as np

from ingest.clean import search_form

jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)
_lock = threading.Lock()

# Terms every quality-policy corpus uses; the corpus adds its own quoted terms and item titles.
DOMAIN_TERMS = [
    "质量基础设施", "首席质量官", "双随机、一公开", "双随机一公开", "计量托管", "品字标", "浙江制造",
    "质量强市", "质量强省", "质量强国", "质量强企", "民营企业", "提质增效", "检验检测", "认证认可",
    "团体标准", "企业标准", "标准化", "计量", "一站式", "技术性贸易壁垒", "质量分级", "商标品牌",
    "知识产权", "质量管理体系", "卓越绩效", "质量奖", "政府质量奖", "巡回问诊", "能力验证", "质量攻关",
    "质量文化", "质量人才", "质量技术服务", "质量提升", "质量月", "产品伤害", "质量保证金", "产品质量",
    "工程质量", "服务质量", "中小微企业", "专精特新", "产业集群", "产业链", "营商环境", "市场监管",
    "市场监管委", "市场监管局", "工商联", "发展改革委", "首席质量官制度", "质量强企千百行动",
    "千企创牌", "千企提质", "清零行动", "信用监管", "质量安全", "食品安全", "建筑材料", "智能建造",
    "质量保险", "节能诊断", "数字化", "一企一策", "问题清单", "成效清单", "沟通座谈", "政商关系",
    "地方立法", "质量督察", "商标注册", "恶意商标注册", "反不正当竞争", "反垄断",
]
_STOP = set("的 了 和 与 及 等 在 对 为 是 有 吗 呢 啊 吧 么 什么 怎么 怎样 哪些 哪个 哪 这 那 个 份 里 中 上 下 要 会 能 "
            "不 也 都 就 把 被 给 让 从 向 以 于 之 其 或 并 还 又 我 我们 你 你们 他 她 它 请问 一下 一个 这个 那个 "
            "这份 那份 文件 政策 规定 提到 说 讲 如何 是否 有没有 多少 几 第几 具体 主要 方面".split())
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba words it must not split (idempotent; jieba keeps a global dictionary)."""
    with _lock:
        for t in terms:
            t = search_form(t)
            if 2 <= len(t) <= 16:
                jieba.add_word(t, freq=200000)


def corpus_terms(texts: Iterable[str]) -> list[str]:
    """Quoted terms (“计量托管”) and short item titles are the corpus's own vocabulary."""
    found: Counter[str] = Counter()
    for t in texts:
        for m in re.finditer(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]", t):
            found[m.group(1)] += 1
    return [w for w, _ in found.most_common()]


def tokenize(text: str, bigrams: bool = True) -> list[str]:
    """Search-form text → jieba words (search mode) + CJK character bigrams, stopwords removed."""
    s = search_form(text)
    with _lock:
        words = [w for w in jieba.lcut_for_search(s) if _TOKEN_OK.search(w) and w not in _STOP]
    if bigrams:
        for run in _CJK_RUN.findall(s):
            words.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
    return words


class BM25Index:
    """BM25 over a fixed list of texts; scores for every text in one vectorised call."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        tokens = [tokenize(t) or ["#empty"] for t in texts]
        if tokens:
            self.model.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        toks = tokenize(query)
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(toks), dtype=np.float32)
