"""Checking a flow's legal citations against a folder of statute texts.

Wrong advice is the worst defect a legal kiosk can ship, and a wrong article number is the
cheapest kind to catch: every `basis` must name a law that resolves to a statute file and an
article (第X条, 第X条之一, optionally 第Y款 / 第Y项) that exists in it. The statute folder is
not part of the pack (its texts must not be copied into the repo); it is passed in.

Files are named `<category>_[<issuer>_]<title>(<YYYY-MM-DD>).md`, one per version; the
latest dated version is the one in force. 民法典 is split by book (`民法典_总则.md`, ...), and
its article numbers run across the books.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.flows.model import Flow, LegalBasis, OutcomeNode

_NUM = "一二三四五六七八九十百千零"
ARTICLE_HEAD = re.compile(rf"^(第[{_NUM}]+条(?:之[{_NUM}]+)?)[\s　]")
CITED = re.compile(rf"^(第[{_NUM}]+条(?:之[{_NUM}]+)?)(?:第([{_NUM}]+)款)?(?:第([{_NUM}]+)项)?$")
HEADING = re.compile(r"^#")
ITEM_HEAD = re.compile(rf"^[（(][{_NUM}]+[）)]")
FILE_NAME = re.compile(r"^(?P<stem>.+?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?\.md$")
CODE_BOOKS = "民法典"

#: Short names residents and lawyers use, mapped to the collection's file titles. Content may
#: cite either; a name not here must be the title itself (without 中华人民共和国).
ALIASES: dict[str, str] = {
    "诉讼时效规定": "最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定",
    "民间借贷规定": "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
    "婚姻家庭编解释一": "最高人民法院关于适用《民法典》婚姻家庭编的解释（一）",
    "婚姻家庭编解释二": "最高人民法院关于适用《民法典》婚姻家庭编的解释（二）",
    "继承编解释一": "最高人民法院关于适用《民法典》继承编的解释（一）",
    "劳动争议解释一": "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）",
    "承包纠纷解释": "最高人民法院关于审理涉及农村土地承包纠纷案件适用法律问题的解释",
    "交通事故赔偿解释": "最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释",
    "人身损害赔偿解释": "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释",
    "公证债权文书执行规定": "最高人民法院关于公证债权文书执行若干问题的规定",
    "人身安全保护令规定": "最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定",
    "司法确认规定": "最高人民法院关于人民调解协议司法确认程序的若干规定",
    "民事诉讼法解释": "最高人民法院关于适用《民事诉讼法》的解释",
    "行政诉讼法解释": "最高人民法院关于适用《行政诉讼法》的解释",
    "担保制度解释": "最高人民法院关于适用《民法典》有关担保制度的解释",
    "道路交通事故处理程序规定": "道路交通事故处理程序规定",
    "程序规定": "道路交通事故处理程序规定",
    "交强险条例": "机动车交通事故责任强制保险条例",
}


@dataclass(frozen=True)
class Article:
    """One article: its paragraphs (款) as written, items (（一）…) kept inside them."""

    paragraphs: tuple[str, ...]

    def has_item(self, item: str) -> bool:
        return any(f"（{item}）" in p or f"({item})" in p for p in self.paragraphs)


@dataclass
class Statute:
    title: str
    date: str
    articles: dict[str, Article] = field(default_factory=dict)


def normalise_law(name: str) -> str:
    """The title a citation means: 中华人民共和国 and 《》 dropped, known short names expanded."""
    name = name.strip().replace("《中华人民共和国", "《").removeprefix("中华人民共和国")
    if name.startswith("《") and name.endswith("》"):
        name = name[1:-1]
    return ALIASES.get(name, name)


def parse_articles(text: str) -> dict[str, Article]:
    """Articles by their number; a paragraph (款) is a non-empty line, items (项) stay in theirs."""
    articles: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        head = ARTICLE_HEAD.match(line + " ")
        if head:
            current = articles.setdefault(head.group(1), [])
            current.append(line[len(head.group(1)):].strip())
        elif HEADING.match(line) or line.startswith("<!--"):
            current = None
        elif current is not None and ITEM_HEAD.match(line) and current:
            current[-1] += "\n" + line
        elif current is not None:
            current.append(line)
    return {number: Article(tuple(paras)) for number, paras in articles.items()}


class LawLibrary:
    """The statute folder, indexed by title: the latest dated version of each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._by_title: dict[str, Statute] = {}
        for path in sorted(folder.glob("*.md")):
            match = FILE_NAME.match(path.name)
            if not match or path.name == "README.md" or path.name.endswith("_index.md"):
                continue
            stem, date = match.group("stem"), match.group("date") or ""
            title = CODE_BOOKS if stem.startswith(CODE_BOOKS + "_") else stem.split("_")[-1]
            articles = parse_articles(path.read_text(encoding="utf-8"))
            known = self._by_title.get(title)
            if title == CODE_BOOKS and known is not None:
                known.articles.update(articles)
            elif known is None or date > known.date:
                self._by_title[title] = Statute(title, date, articles)

    def statute(self, law: str) -> Statute | None:
        return self._by_title.get(normalise_law(law))

    def check(self, law: str, article: str) -> str | None:
        """None when the citation resolves; otherwise why not, in a sentence."""
        statute = self.statute(law)
        if statute is None:
            return f"no statute file for {law!r} in {self.folder}"
        cited = CITED.match(article.strip())
        if not cited:
            return f"article {article!r} is not written as 第X条[之一][第Y款][第Z项]"
        number, paragraph, item = cited.groups()
        found = statute.articles.get(number)
        if found is None:
            return f"{statute.title}({statute.date or 'undated'}) has no {number}"
        if paragraph is not None:
            index = chinese_number(paragraph)
            if index > len(found.paragraphs):
                return f"{statute.title} {number} has {len(found.paragraphs)} 款, not 第{paragraph}款"
        if item is not None and not found.has_item(item):
            return f"{statute.title} {number} has no item （{item}）"
        return None


@dataclass(frozen=True)
class Citation:
    flow: str
    node: str
    law: str
    article: str


def iter_citations(flow: Flow) -> Iterator[Citation]:
    """Every basis and deadline basis of every outcome, in the zh-CN wording."""
    for node in flow.nodes:
        if not isinstance(node, OutcomeNode):
            continue
        bases: list[LegalBasis] = [*node.basis, *(d.basis for d in node.deadlines)]
        for basis in bases:
            yield Citation(flow.id, node.id, basis.law.get("zh-CN", ""), basis.article.get("zh-CN", ""))


_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二百五十 → 250, 一千零六十四 → 1064."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current
