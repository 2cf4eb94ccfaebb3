"""What a notebook shows of a result (its ``_repr_html_``), checked against the text
summary the same object prints: shared by the part tests of the HTML reprs."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

_VOID = {"br"}


class Page(HTMLParser):
    """The caption, the header and body cells, the notes and every tag opened, of one
    table; refuses a tag closed that is not the one open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.caption = ""
        self.cells: list[str] = []
        self.notes = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("td", "th") and "tfoot" not in self.open:
            self.cells.append("")
        if tag == "br" and "tfoot" in self.open:
            self.notes += "\n"  # one note ends
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        if "caption" in self.open:
            self.caption += data
        elif "tfoot" in self.open:
            self.notes += data  # a <span> of Chinese inside a note is part of its words
        elif self.open and self.open[-1] in ("td", "th", "span", "code"):
            self.cells[-1] += data


def _tokens(lines) -> Counter:
    return Counter(word for line in lines for word in line.split())


def check_html_repr(obj) -> Page:
    """``obj._repr_html_()`` parsed: one well-formed table whose caption is the summary's
    title and whose cells and notes are the words of the text summary, no more or
    fewer. Returns the parsed page for further checks."""
    page = obj._repr_html_()
    table = obj.summary()
    parsed = Page()
    parsed.feed(page)
    parsed.close()
    assert parsed.open == [], f"tags left open: {parsed.open}"
    assert parsed.tags[0] == "table" and parsed.tags.count("table") == 1
    assert table.title and parsed.caption == table.title
    lines = table.to_text().splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"-"}]
    header_and_rows = [lines[i] for i in range(rules[0] + 1, rules[-1]) if i not in rules]
    assert _tokens(parsed.cells) == _tokens(header_and_rows), "cells differ from the text"
    assert _tokens(parsed.notes.splitlines()) == _tokens(n.replace("`", "") for n in table.notes)
    return parsed
