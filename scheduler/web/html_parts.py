"""What the service's HTML pages share: the shell, the style, safe links, coloured diffs.

Everything on the pages comes from a site we do not control, so they are built with
MarkupSafe: every value goes in through ``Markup.format``, which escapes it, and only the
literals of scheduler.web's modules are markup. Scraped text is also passed through
scheduler.reports.printable, so a bidi override or a control character cannot disguise a
title. Links go out only to http(s) URLs (never ``javascript:``). The pages have no script
at all, and the server sends a Content-Security-Policy that forbids one, should an escape
ever be missed. They are read on phones: a viewport, wrapping text, no fixed widths.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from feeds.text import ENTRY_TEXT_LIMIT, capped
from scheduler.reports import printable

STYLE = Markup("""
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:48rem;padding:0 1rem 3rem;color:#1b1b1b;background:#fff}
header{border-bottom:1px solid #ddd;margin-bottom:1rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:.25rem 0;overflow-wrap:anywhere}
a{color:#0b57d0}
.change,.version{border-bottom:1px solid #eee;padding:.75rem 0}
.meta{color:#555;font-size:.9rem;margin:0;overflow-wrap:anywhere}
.kind{display:inline-block;border-radius:.25rem;padding:0 .4rem;font-weight:600;color:#fff}
.kind-new{background:#1a7f37}.kind-updated{background:#9a6700}.kind-removed{background:#cf222e}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;background:#f6f8fa;
padding:.5rem;border-radius:.25rem;margin:.5rem 0 0}
.add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}
.hunk{color:#6e7781;display:block}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.75rem 0}
label{display:flex;flex-direction:column;font-size:.9rem}
input,select,button{font:inherit;max-width:100%}
input[type=search]{width:14rem}
.site{font-weight:600}
nav.pages{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;margin:1rem 0}
.text p{margin:.5rem 0;overflow-wrap:anywhere}
""")

SHELL = Markup("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
<style>{style}</style>
</head>
<body>
<header>
{header}
</header>
<main>
{body}
</main>
</body>
</html>
""")


def html_page(title: str, header: Markup, body: Markup, head: Markup | str = "") -> str:
    """A whole page: ``title`` (text), ``header`` and ``body`` (markup), links in ``head``."""
    return SHELL.format(title=title, head=head, style=STYLE, header=header, body=body)


def one_line(text: str | None) -> str:
    """Scraped text made printable, on one line (titles)."""
    return " ".join(printable(text).split())


def web_link(url: str | None, text: str) -> Markup:
    """``text`` linking to ``url`` when it is a web address; else the text alone."""
    if url and url.startswith(("http://", "https://")):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, text)
    return Markup("{}").format(text)


def moment(at: dt.datetime) -> Markup:
    """A time for people (UTC, to the minute) that keeps its exact value for machines."""
    return Markup('<time datetime="{}">{}</time>').format(at.isoformat(), at.strftime("%Y-%m-%d %H:%M UTC"))


def diff_block(diff: str | None) -> Markup:
    """The diff, coloured by line; as in the feeds, at most ENTRY_TEXT_LIMIT characters of
    it (one huge page must not make a page of many changes huge)."""
    if not diff:
        return Markup("")
    kept, cut = capped(printable(diff))
    lines = Markup("").join(_diff_line(line) for line in kept.splitlines())
    rest = Markup("\n<p>… the diff goes on (cut at {} characters).</p>").format(ENTRY_TEXT_LIMIT)
    return Markup("\n<pre>{}</pre>{}").format(lines, rest if cut else "")


def _diff_line(line: str) -> Markup:
    if line.startswith(("---", "+++", "@@")):
        css = "hunk"
    elif line.startswith("+"):
        css = "add"
    elif line.startswith("-"):
        css = "del"
    else:
        return Markup("{}\n").format(line)
    return Markup('<span class="{}">{}</span>').format(css, line)
