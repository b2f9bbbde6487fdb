"""Item markup to plain, readable text.

Only character data is kept, never markup, so nothing of the package can reach a page as
HTML. Feedback, scorer-only rubrics, scripts and styles are left out: feedback often
states the correct answer, and a candidate must never see that.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_HIDDEN = frozenset(
    {
        "feedbackInline",
        "feedbackBlock",
        "modalFeedback",
        "templateInline",
        "templateBlock",
        "printedVariable",
        "script",
        "style",
        "object",
        "stylesheet",
        # MathML's alternative encodings (LaTeX, say) would repeat the formula.
        "annotation",
        "annotation-xml",
    }
)
_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
        "h6", "pre", "blockquote", "table", "tr", "caption", "hr", "address", "figure",
        "prompt", "rubricBlock", "itemBody", "simpleChoice",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")

# What to write in place of an element instead of its text (an interaction, say).
Substitute = Callable[[etree._Element], str | None]


def plain_text(element: etree._Element, substitute: Substitute | None = None) -> str:
    """The text of `element`: one line per block, whitespace folded, empty lines dropped."""
    pieces: list[str] = []
    _collect(element, pieces, substitute)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(element: etree._Element, pieces: list[str], substitute: Substitute | None) -> None:
    replacement = substitute(element) if substitute else None
    if replacement is not None:
        pieces.append(replacement)
        return
    if _hidden(element):
        return
    block = element.tag in _BLOCKS
    if block:
        pieces.append("\n")
    if element.tag == "img" and element.get("alt"):
        pieces.append(f"[{element.get('alt')}]")
    pieces.append(_flat(element.text))
    for child in element.iterchildren(etree.Element):
        _collect(child, pieces, substitute)
        pieces.append(_flat(child.tail))
    if block:
        pieces.append("\n")


def _hidden(element: etree._Element) -> bool:
    if element.tag == "rubricBlock":
        return "candidate" not in element.get("view", "").split()
    return element.tag in _HIDDEN


def _flat(text: str | None) -> str:
    # Newlines in the source are layout, not content: blocks alone make lines.
    return (text or "").replace("\n", " ")
