"""HTML bodies: tables as grids of cells (read by parsers.rows), and the text between them.

One parse (lxml, libxml2) gives an `HtmlTree` that `table_grids` and `html_to_text` share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml.etree import _Element as Element

from parsers.attachments.extent import MAX_COLUMNS, MAX_ROWS, held_grids
from parsers.cells import COVERED_ABOVE, COVERED_LEFT, cell_lines

_BLOCKS = frozenset({
    "p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "hr",
})
_HIDDEN = frozenset({"script", "style", "head", "title"})
# What these hold is not shown as text: code, ruby annotations, inert templates.
_NOT_TEXT = frozenset({"script", "style", "rt", "rp", "template"})
_KEEP_SPACES = frozenset({"pre", "textarea"})
_QUOTE_CLASSES = frozenset({"gmail_quote", "moz-cite-prefix"})
_ASCII_SPACES = " \n\t\f\r"
_LINE_SPACES = re.compile(r"[ \u00a0\u202f]+")
_CRS_LF = re.compile(r"\r+\n")
_HEAD_TAG = re.compile(r"<head[\s/>]", re.IGNORECASE)
_MAX_COLSPAN, _MAX_ROWSPAN = 50, 1000  # browsers' own limits are 1000 and 65534

# Bytes in a set encoding: lxml refuses a str with an XML encoding declaration, and a
# <meta charset> must not decode again a text that is decoded already. huge_tree raises
# libxml2's nesting limit from 256 to 2048 levels: long reply chains nest deep.
_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True)

# Outlook (web, mobile) and Zimbra mark where the quoted message starts: all after it goes
_MARKS = etree.XPath(
    "//*[@id='appendonsend' or @id='divRplyFwdMsg'"
    " or @id='mail-editor-reference-message-container'] | //hr[@id='zwchr']"
)
_FROM_CUT = etree.XPath("descendant-or-self::table | following::table")


@dataclass(frozen=True)
class HtmlTree:
    """One parsed HTML body, to share between `table_grids` and `html_to_text`."""

    # libxml2 starts a new top-level <html> for anything after </html>.
    roots: tuple[Element, ...]
    # Tags left out of the text. A <head> written in the source goes with all it holds. Without
    # one, libxml2 still implies a <head> for a leading <style>, <meta> or <title>, and puts in
    # it the tags it does not know that follow, <section> or <o:p>: those are text.
    hidden: frozenset[str] = _HIDDEN


#: HTML of one body read for a fiche, once pictures written inline (data: URIs) are left
#: out: a fiche and a long forwarded thread fit many times; a larger body is read that far.
MAX_HTML_CHARS = 2_000_000
_INLINE_PICTURE = re.compile(r"data:[^\s\"'()<>]{256,}")


def parse_html(html: str | HtmlTree) -> HtmlTree:
    if isinstance(html, HtmlTree):
        return html
    if len(html) > MAX_HTML_CHARS:
        html = _INLINE_PICTURE.sub("data:,", html)[:MAX_HTML_CHARS]
    # libxml2 makes every CR a line break: "\r\r\n" (CRLF converted twice) must stay one.
    # Lone surrogates are invalid UTF-8, which libxml2 turns into U+FFFD.
    data = _CRS_LF.sub("\n", html).encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.LxmlError:
        root = None
    if root is None:  # empty, or nothing but comments
        return HtmlTree(())
    hidden = _HIDDEN if _HEAD_TAG.search(html) else _HIDDEN - {"head"}
    return HtmlTree((root, *root.itersiblings()), hidden)


def _strings(cell: Element) -> list[str]:
    """The strings in `cell`, in document order, without comments nor `_NOT_TEXT` tags. Line
    breaks of the source are spaces; a `<br>` and the edges of blocks (`<p>`, `<div>`) are
    line breaks."""
    out = [cell.text.replace("\n", " ")] if cell.text else []
    # Open elements, each with the iterator over its children.
    stack = [(cell, iter(cell))]
    while stack:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and el.tag in _BLOCKS:
                out.append("\n")
            if stack and el.tail:
                out.append(el.tail.replace("\n", " "))
        elif isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            if child.tag == "br" or child.tag in _BLOCKS:
                out.append("\n")
            if child.text:
                out.append(child.text.replace("\n", " "))
            stack.append((child, iter(child)))
        elif child.tail:
            out.append(child.tail.replace("\n", " "))
    return out


def cell_text(cell: Element) -> str:
    # A space between strings keeps words of separate tags apart: "<b>Nom</b><i>Prénom".
    # White space is then shown as a browser shows it: a wide gap is only non-breaking spaces.
    text = " ".join(_strings(cell))
    return cell_lines([_LINE_SPACES.sub(_shown_spaces, line) for line in text.split("\n")])


def _span(cell: Element, name: str, cap: int) -> int:
    value = (cell.get(name) or "").strip()
    return max(1, min(int(value), cap)) if value.isdigit() else 1


def _grid(table: Element) -> list[list[str]]:
    """A table's rows as a grid: a cell spanning rows or columns gives its text once, and the
    places it covers are `COVERED_ABOVE` / `COVERED_LEFT`, as a browser lays them out."""
    grid: list[list[str]] = []
    down: dict[int, int] = {}  # column -> rows below still covered by a rowspan
    for tr in islice(table.iter("tr"), MAX_ROWS):
        cells: list[str] = []
        starts: dict[int, int] = {}
        for td in islice(tr.iter("td", "th"), MAX_COLUMNS):
            while down.get(len(cells)):
                cells.append(COVERED_ABOVE)
            col, span = len(cells), _span(td, "colspan", _MAX_COLSPAN)
            cells += [cell_text(td), *[COVERED_LEFT] * (span - 1)]
            rows = _span(td, "rowspan", _MAX_ROWSPAN)
            if rows > 1:
                starts.update((c, rows - 1) for c in range(col, col + span))
        while down.get(len(cells)):
            cells.append(COVERED_ABOVE)
        down = {c: n - 1 for c, n in down.items() if n > 1} | starts
        grid.append(cells)
    return grid


def table_grids(html: str | HtmlTree) -> list[list[list[str]]]:
    """Every innermost table (layout tables hold others) as a grid of cell texts, as far as
    a table of fiches goes (parsers/attachments/extent.py: rows, columns and filled cells)."""
    grids: list[list[list[str]]] = []
    for root in parse_html(html).roots:
        for table in root.iter("table"):
            if next(table.iterdescendants("table"), None) is not None:
                continue
            if any(a.tag in _NOT_TEXT for a in table.iterancestors()):
                continue  # no text in it
            grid = _grid(table)
            if any(any(row) for row in grid):
                grids.append(grid)
    return held_grids(grids)


def _quoted(el: Element) -> bool:
    classes = el.get("class")
    return el.tag == "blockquote" or (
        classes is not None and not _QUOTE_CLASSES.isdisjoint(classes.split())
    )


def _first_mark(tree: HtmlTree) -> Element | None:
    """The first quote marker outside hidden tags and blockquotes, which go first."""
    gone = tree.hidden | {"blockquote"}
    for mark in _MARKS(tree.roots[0]) if tree.roots else ():
        if not any(a.tag in gone for a in (mark, *mark.iterancestors())):
            return mark
    return None


def _dropped_tables(tree: HtmlTree, drop_quotes: bool, cut: Element | None) -> set[Element]:
    """Tables with no table inside once hidden tags, quotes and all after `cut` are gone."""
    gone = set(_FROM_CUT(cut)) if cut is not None else set()
    kept = {
        t for root in tree.roots for t in root.iter("table")
        if t not in gone and not any(
            a.tag in tree.hidden or (drop_quotes and _quoted(a)) for a in (t, *t.iterancestors())
        )
    }
    return {t for t in kept if not any(d in kept for d in t.iterdescendants("table"))}


def _pieces(tree: HtmlTree, drop_tables: bool, drop_quotes: bool) -> list[str]:
    """The strings of `tree` with a newline around blocks and for `<br>`, a tab after cells."""
    out: list[str] = []
    cut = _first_mark(tree) if drop_quotes else None
    cut_path = {cut, *cut.iterancestors()} if cut is not None else set()
    tables = _dropped_tables(tree, drop_quotes, cut) if drop_tables else set()
    hidden = tree.hidden
    keep_spaces = not_text = 0

    def add(s: str) -> None:
        # White space alone between two tags is one newline or space: indentation of the
        # source adds no blank line.
        if keep_spaces or s.strip(_ASCII_SPACES):
            out.append(s)
        else:
            out.append("\n" if "\n" in s else " ")

    for n, root in enumerate(tree.roots):
        if n:  # after </html>: libxml2 drops the line break that was there
            out.append("\n")
        # Open elements, each with the iterator over its siblings to go on with once it closes.
        stack: list[tuple[Element, Iterator[Element]]] = []
        siblings: Iterator[Element] = iter((root,))
        while True:
            node = next(siblings, None)
            if node is None:  # the innermost open element closes
                if not stack:
                    break
                node, siblings = stack.pop()
                tag = node.tag
                if tag == "td" or tag == "th":
                    out.append("\t")
                if tag in _BLOCKS:
                    out.append("\n")
                keep_spaces -= tag in _KEEP_SPACES
                not_text -= tag in _NOT_TEXT
            elif isinstance(node.tag, str):  # not a comment
                tag = node.tag
                removed = (
                    tag in hidden or (drop_tables and node in tables)
                    or (drop_quotes and _quoted(node))
                )
                if drop_quotes and node in cut_path and (removed or node is cut):
                    return out  # the quoted message starts here: nothing after it is kept
                if removed:
                    pass
                elif tag == "br":
                    out.append("\n")
                else:
                    if tag in _BLOCKS:
                        out.append("\n")
                    keep_spaces += tag in _KEEP_SPACES
                    not_text += tag in _NOT_TEXT
                    text = node.text
                    if text and not not_text:
                        add(text)
                    stack.append((node, siblings))
                    siblings = iter(node)
                    continue
            tail = node.tail
            if tail and not not_text:
                add(tail)
    return out


def _shown_spaces(run: re.Match[str]) -> str:
    """White space as a browser shows it: spaces collapse into one, each non-breaking space
    stays ("X&nbsp;&nbsp; Autre": the gap an agent made between two check boxes)."""
    kept = sum(1 for c in run[0] if c != " ")
    return " " * (kept + (kept < len(run[0]))) if kept else " "


def html_to_text(
    html: str | HtmlTree, *, drop_tables: bool = False, drop_quotes: bool = False
) -> str:
    """Readable text with one line per paragraph, `<br>` or table row."""
    text = "".join(_pieces(parse_html(html), drop_tables, drop_quotes))
    lines = [_LINE_SPACES.sub(_shown_spaces, line).strip(" ") for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.strip())
    return "\n".join(out).strip()
