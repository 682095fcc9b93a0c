"""Lesson Markdown to safe HTML: markdown-it-py, Pygments highlighting into CSS classes, nh3 sanitising.

Generated lessons are untrusted text, so every lesson goes through the same allow-list. Curated
lessons are rendered once per process (cached per lesson id); the bench depends on it.
The three libraries are imported on the first render, not at start-up: together they cost ~50-90 ms,
and a cold start that serves no lesson page should not pay for them.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from services.lessons.model import Lesson

CSS_CLASS = "highlight"
PYGMENTS_STYLE = "github-dark"  # code blocks share the editor's dark background
_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "code", "span", "div", "em", "strong",
         "a", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "kbd"}
_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "div": {"class"}, "code": {"class"}, "pre": {"class"},
               "th": {"align"}, "td": {"align"}, "ol": {"start"},
               **{f"h{level}": {"id"} for level in range(2, 7)}}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def section_anchor(heading: str) -> str:
    """The id a lesson section's heading carries, so citations can link to it ("s-trees-in-one-minute")."""
    return "s-" + (_NOT_SLUG.sub("-", heading.lower()).strip("-") or "section")


_tools: SimpleNamespace | None = None
_tools_lock = threading.Lock()


def _load_tools() -> SimpleNamespace:
    """Import the Markdown, highlighting and sanitising libraries once, under a lock: Pygments resolves
    names like `pygments.formatters.HtmlFormatter` lazily, and that is not safe when several request
    threads render their first lesson at the same moment (seen in the page benchmark)."""
    global _tools
    if _tools is None:
        with _tools_lock:
            if _tools is None:
                import nh3
                from markdown_it import MarkdownIt
                from pygments import highlight
                from pygments.formatters.html import HtmlFormatter
                from pygments.lexers import get_lexer_by_name
                from pygments.lexers.python import PythonLexer
                from pygments.util import ClassNotFound

                _tools = SimpleNamespace(
                    nh3=nh3, MarkdownIt=MarkdownIt, highlight=highlight, HtmlFormatter=HtmlFormatter,
                    get_lexer_by_name=get_lexer_by_name, PythonLexer=PythonLexer, ClassNotFound=ClassNotFound,
                )
    return _tools


def pygments_css() -> str:
    """The stylesheet for the highlighted code's classes (served as a static file)."""
    rules = _load_tools().HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(f".{CSS_CLASS}").splitlines()
    return "\n".join(rule for rule in rules if rule.startswith(f".{CSS_CLASS}"))  # not its global `pre` rule


def _highlight(code: str, language: str, _attrs: str) -> str:
    tools = _load_tools()
    name = (language or "").strip().split(" ")[0].lower()
    try:
        if name in ("python", "py", "python3"):
            lexer = tools.PythonLexer()
        else:
            lexer = tools.get_lexer_by_name(name) if name else None
    except (tools.ClassNotFound, ImportError):  # the Lambda zip keeps a few lexers: the rest are plain text
        lexer = None
    body = tools.highlight(code, lexer, tools.HtmlFormatter(nowrap=True)) if lexer else html.escape(code)
    label = html.escape(name) if name else "text"
    # Starting with <pre tells markdown-it to use this markup as the whole block.
    return f'<pre class="{CSS_CLASS}"><code class="language-{label}">{_lines(body)}</code></pre>\n'


_TAG = re.compile(r"<[^>]+>")


def _lines(body: str) -> str:
    """Each line in its own span, classed by its indentation (`indent-N`, N levels of four spaces,
    at most 6): a long line wraps inside the pane with a hanging indent instead of being cut off or
    scrolling (the stylesheet indents its continuation past the line's own indentation). Pygments
    closes its spans at every line end, so the split keeps the markup whole."""
    lines = body.removesuffix("\n").split("\n")
    out = []
    for line in lines:
        text = html.unescape(_TAG.sub("", line))
        level = min(6, (len(text) - len(text.lstrip(" "))) // 4)
        out.append(f'<span class="line indent-{level}">{line}\n</span>')
    return "".join(out)


def _markdown() -> Any:
    md = _load_tools().MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight})
    md.enable("table")

    def heading(renderer, tokens, idx, options, env):
        """The page owns the heading above the text (`shift` is its level): headings start below it
        and go down one level at a time, whatever the Markdown skipped (## straight after the
        page's <h2> would be an h4 under an h2 to a screen reader)."""
        token = tokens[idx]
        if token.type == "heading_open":
            shift = env.get("shift", 1)
            wanted = int(token.tag[1]) + shift
            level = min(6, wanted, env.get("heading_previous", shift) + 1)
            env["heading_previous"] = env["heading_open"] = level
            if env.get("anchors") and idx + 1 < len(tokens) and tokens[idx + 1].type == "inline":
                token.attrSet("id", section_anchor(tokens[idx + 1].content))
        token.tag = f"h{env['heading_open']}"
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    return md


def sanitise(markup: str) -> str:
    return _load_tools().nh3.clean(markup, tags=_TAGS, attributes=_ATTRIBUTES,
                                   url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


_LEADING_TITLE = re.compile(r"\A\s*# [^\n]*(\n|\Z)")


def without_title(markdown: str) -> str:
    """The lesson text without its own leading `# title`: the page shows the title as its <h1>."""
    return _LEADING_TITLE.sub("", markdown, count=1)


@dataclass(frozen=True)
class RenderedLesson:
    lesson: str
    challenge: str
    hints: tuple[str, ...]


class LessonRenderer:
    def __init__(self) -> None:
        self._parser: Any = None  # built on first use
        self._cache: dict[tuple[str, str], RenderedLesson] = {}
        self._lock = threading.Lock()

    @property
    def _md(self) -> Any:
        if self._parser is None:
            with self._lock:
                if self._parser is None:
                    self._parser = _markdown()
        return self._parser

    def markdown(self, text: str, *, shift: int = 1, anchors: bool = False) -> str:
        """`shift`: how many levels headings move down (the challenge sits under its own <h2>);
        `anchors`: headings carry ids (section_anchor) that citations link to (the lesson text only)."""
        return sanitise(self._md.render(text, {"shift": shift, "anchors": anchors}))

    def inline(self, text: str) -> str:
        return sanitise(self._md.renderInline(text))

    def render(self, lesson: Lesson) -> RenderedLesson:
        """Cached per lesson id and source; a generated lesson's id is unique per cache key."""
        key = (lesson.source, lesson.id)
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = RenderedLesson(
                lesson=self.markdown(without_title(lesson.lesson), anchors=True),
                challenge=self.markdown(lesson.challenge, shift=2),
                hints=tuple(self.inline(h) for h in lesson.hints),
            )
            with self._lock:
                if len(self._cache) > 1000:  # generated lessons are unbounded in number
                    self._cache.clear()
                self._cache[key] = rendered
        return rendered
