"""Group free-text reports by keyword, simply enough to explain in one sentence.

Each text is cut into folded words (lower case, no accents, singular by dropping a final
s or x); short words and French function words are left out. A report is filed under its
keyword shared by the most reports of the period (ties: the longer word, then alphabetical
order), so "horaires de la mairie" and "horaires d'ouverture" meet under "horaire".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from parsers.fold import fold

NO_KEYWORD = "(sans mot-clé)"

#: Folded, singular words carrying no topic (words under 4 letters are dropped anyway).
_STOPWORD_TEXT = """
    avec avoir aura aupre cela celle celui cette ceux chez comme dans donc dont elle etre etait
    entre leur mais meme nous notre pour quand quel quelle sans selon sera sont sous suis une
    vers votre vous tout toute plus moins tres ainsi alors aussi avant apre deja encore fait
    faire faut peut pouvait usager usagere appel appele demande demandait information indique
    indiquee renseigne donne donnee communique communiquee etaient ceci
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def keywords(text: str | None) -> set[str]:
    words = set()
    for word in re.findall(r"[a-z0-9]+", fold(text or "")):
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        if len(word) >= 4 and word not in STOPWORDS and not word.isdigit():
            words.add(word)
    return words


@dataclass
class Topic:
    keyword: str
    refs: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.refs)


def group_topics(reports: list[tuple[str, str]]) -> list[Topic]:
    """`reports` are (reference, text); the topics, most reported first."""
    words = {ref: keywords(text) for ref, text in reports}
    shared = Counter(w for ws in words.values() for w in ws)
    topics: dict[str, Topic] = {}
    for ref, text in reports:
        mine = words[ref]
        key = min(mine, key=lambda w: (-shared[w], -len(w), w)) if mine else NO_KEYWORD
        topic = topics.setdefault(key, Topic(key))
        topic.refs.append(ref)
        topic.texts.append(" ".join(text.split()))
    return sorted(topics.values(), key=lambda t: (-t.count, t.keyword))
