"""Reading what a source says, for the fact tests: the stored words of a source document, and
a comparison that sees through the differences between a repost and a record's spelling."""

import re
from functools import cache
from pathlib import Path

import opencc
from django.conf import settings

from catalog.models import Source

# Reposts in traditional script carry stray pinyin glosses, e.g. 國(guó); the catalog keeps
# names in simplified script with full-width punctuation.
PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]+\)")
PUNCTUATION = str.maketrans(
    {"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}
)


@cache
def _converter():
    # tw2s, not t2s: t2s keeps 著 (a valid simplified character), which reposts use for 着.
    return opencc.OpenCC("tw2s")


def normalised(text: str) -> str:
    """Simplified script, no pinyin glosses, ASCII punctuation: what a name and a repost
    have in common when the repost says the same words."""
    return _converter().convert(PINYIN_GLOSS.sub("", text)).translate(PUNCTUATION)


def stored_text(source: Source) -> str:
    """The words of the document a source record points to (fixtures/sources/...)."""
    assert source.reference.startswith("fixtures/"), f"{source.slug} keeps no stored text"
    return (Path(settings.BASE_DIR) / source.reference).read_text(encoding="utf-8")


def says(source: Source, words: str) -> bool:
    """Whether the source's stored words, or its publisher's name, contain `words` once
    script, glosses and punctuation are set aside."""
    haystack = normalised(stored_text(source) + "\n" + source.publisher)
    return normalised(words) in haystack
