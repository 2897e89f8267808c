"""HTML bodies: label/value table rows, header-row tables, and the text between them."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, Tag

from parsers.fold import clean_spaces

_BLOCKS = (
    "p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "hr",
)


def _soup(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BeautifulSoup(html, "html.parser")


def cell_text(cell: Tag) -> str:
    for br in cell.find_all("br"):
        br.replace_with("\n")
    text = cell.get_text(" ")
    return " ".join(clean_spaces(line) for line in text.split("\n") if line.strip())


def table_rows(html: str) -> list[list[str]]:
    """Every row of every innermost table, as a list of cell texts."""
    soup = _soup(html)
    rows: list[list[str]] = []
    for table in soup.find_all("table"):
        if isinstance(table, Tag) and table.find("table") is None:
            for tr in table.find_all("tr"):
                if isinstance(tr, Tag):
                    cells = [cell_text(c) for c in tr.find_all(["td", "th"]) if isinstance(c, Tag)]
                    if any(cells):
                        rows.append(cells)
    return rows


def html_to_text(html: str, *, drop_tables: bool = False, drop_quotes: bool = False) -> str:
    """Readable text with one line per paragraph, `<br>` or table row."""
    soup = _soup(html)
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    if drop_quotes:
        for tag in soup.find_all("blockquote"):
            tag.decompose()
        # Outlook (web, mobile) and Zimbra mark where the quoted message starts: all after it goes
        for mark in soup.select(
            "#appendonsend, #divRplyFwdMsg, #mail-editor-reference-message-container, hr#zwchr"
        ):
            node: Tag | None = mark
            while node is not None and node is not soup:
                for sibling in list(node.next_siblings):
                    sibling.extract()
                node = node.parent
            mark.decompose()
        for tag in soup.select(".gmail_quote, .moz-cite-prefix"):
            tag.decompose()
    if drop_tables:
        for table in soup.find_all("table"):
            if isinstance(table, Tag) and table.find("table") is None:
                table.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after("\t")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    text = soup.get_text("")
    lines = [re.sub(r"[ \u00a0\u202f]+", " ", line).strip(" ") for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.strip())
    return "\n".join(out).strip()
