"""The parser's findings as `newswatch parse` shows them (JSON shape: docs/architecture.md, "Command line")."""

from __future__ import annotations

from extraction.parsed import ParsedDate, ParsedPage


def _web_url(url: str | None) -> str | None:
    """Only web addresses are URLs of the page; a local file:// path is not."""
    return url if url and url.startswith(("http://", "https://")) else None


def _dated(fields: dict[str, object], date: ParsedDate | None) -> dict[str, object]:
    fields["published"] = date.value.isoformat() if date else None
    if date and date.inferred:
        fields["published_inferred"] = True
    return fields


def page_as_json(page: ParsedPage, url: str | None = None) -> dict[str, object]:
    """``{"url", "teasers": [{"text", "published", "url"}], "article": {...}|null}``.

    An item whose year was inferred from its neighbours also carries
    ``"published_inferred": true``.
    """
    article = page.article
    return {
        "url": url or _web_url(page.url),
        "teasers": [
            _dated({"text": teaser.text}, teaser.published) | {"url": teaser.url} for teaser in page.teasers
        ],
        "article": None
        if article is None
        else _dated({"title": article.title}, article.published) | {"body": article.body, "url": article.url},
    }


def page_as_text(page: ParsedPage) -> str:
    """A readable listing of the same findings."""
    lines: list[str] = []
    if page.warning:
        lines.append(f"warning: {page.warning}")
    for number, teaser in enumerate(page.teasers, start=1):
        lines.append(f"teaser {number}: {_date_label(teaser.published)}  {teaser.url or ''}".rstrip())
        lines.extend(f"    {line}" for line in teaser.text.split("\n"))
    if page.article:
        article = page.article
        lines.append(f"article: {article.title}")
        lines.append(f"    published: {_date_label(article.published)}  url: {article.url or '-'}")
        paragraphs = len(article.body.split("\n\n")) if article.body else 0
        lines.append(f"    body: {paragraphs} paragraphs, {len(article.body)} characters")
    return "\n".join(lines) if lines else "no items"


def _date_label(date: ParsedDate | None) -> str:
    if date is None:
        return "no date"
    return date.value.isoformat() + (" (year inferred)" if date.inferred else "")
