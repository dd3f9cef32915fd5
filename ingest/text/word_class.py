"""Which words carry content, by jieba's own part-of-speech dictionary.

Expansions are only as good as the word they start from and the word they reach: a word-vector space
puts 所以 and 因为 next to 时候, and 词林 groups function words with function words.  Such words say
nothing about a question's subject, yet a collection that never uses them gives them a high IDF, so
one stray match lifts an unrelated clause — more often the more documents there are.  jieba ships a
tag for each of its 349k dictionary words (the ICTCLAS tag set); the function classes below are that
tag set's conjunctions, prepositions, particles, adverbs, pronouns, locality and time words, numerals
and measure words, interjections and onomatopoeia.  Words jieba does not know (policy terms from the
project dictionary) count as content.
"""
from __future__ import annotations

from functools import cache

FUNCTION_TAGS = frozenset(["c", "p", "u", "d", "r", "f", "t", "m", "q", "e", "y", "o"])


@cache
def _tags() -> dict[str, str]:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def is_content_word(word: str) -> bool:
    """Does jieba's dictionary tag ``word`` as anything but a function word (unknown words do)?"""
    tag = _tags().get(word)
    return tag is None or tag[:1] not in FUNCTION_TAGS


NEGATIONS = "没不别"  # what opens with one names a thing only as a word of its own (不合格), not as a set phrase (没人)


def is_speech_fragment(word: str) -> bool:
    """Is ``word`` a piece of speech rather than a word naming something: unknown to the dictionary and opening with a
    function character (多学 of 多学哪部法, 都赶 of 都赶哪些), or a set phrase of negation (没人 of 没人敢用)?  It names
    nothing a text could say.  (An unknown word opening with a negation may name the subject: 不合格, 不罚款.)"""
    tags = _tags()
    if len(word) < 2:
        return False
    tag = tags.get(word)
    if word[0] in NEGATIONS:
        return tag == "l"
    return tag is None and tags.get(word[0], "n")[:1] in FUNCTION_TAGS


def is_noun(word: str) -> bool:
    """Does jieba's dictionary tag ``word`` as a noun of some kind (n, nr, ns, nt, nz …)?  Unknown words
    do not: what jieba does not know is as often a fragment of segmentation as a name."""
    tag = _tags().get(word)
    return tag is not None and tag[:1] == "n"


def is_locality(word: str) -> bool:
    """Does jieba tag ``word`` as a locality word (里, 上, 内, 外 …)?  厂里 is 厂 + 里, not a thing of its own."""
    tag = _tags().get(word)
    return tag is not None and tag[:1] == "f"


def dictionary_parts(word: str) -> list[str]:
    """The dictionary words of two or more characters inside ``word`` (施工单位 → 施工, 单位): what a compound
    the general word vectors do not know is made of."""
    tags = _tags()
    return [word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1)
            if (i, j) != (0, len(word)) and word[i:j] in tags]
