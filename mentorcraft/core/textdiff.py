"""What changed between two versions of a text, word by word, for people to read (a code of
ethics before signing it again, say). Whitespace is kept, so paragraphs stay paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Run:
    """A stretch of text that is the same in both, added in the new one, or removed."""

    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[Run]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(Run("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            runs.append(Run("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            runs.append(Run("added", "".join(b[j1:j2])))
    return [r for r in runs if r.text]


def changed(runs: list[Run]) -> bool:
    return any(r.kind != "same" for r in runs)
