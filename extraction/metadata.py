"""What a page's markup says about its article, for machines: JSON-LD, Open Graph, ``<title>``,
``<h1>``, publication-date meta tags.

These are the signals a publisher writes for search engines and social networks, so they
hold across templates and languages where visible text does not: the benchmark on real
pages of 65 publishers (benchmarks/extraction.py) found JSON-LD ``datePublished`` right on
every page that had one, and the first ``<h1>`` the best single title signal after it.
Nothing here decides; :mod:`extraction.article_evidence` weighs these signals.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from extraction.hydration import hydrated_json_ld

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
_WITH_ITEMPROP = etree.XPath("descendant-or-self::*[@itemprop]")
"""The elements that carry microdata, in page order, found by libxml2 (a walk in Python of
every element, or ElementPath's, costs a tenth of reading a page's metadata)."""
_PUBLISHED_META = ("article:published_time", "datepublished", "dc.date", "dcterms.created", "pubdate")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageMetadata:
    """The machine-readable claims of one page about its article."""

    headline: str | None = None
    """JSON-LD ``headline`` (or ``name``) of an article-typed object."""
    meta_headline: str | None = None
    """A ``<meta itemprop="headline">`` (microdata) or ``<meta name="headline">``."""
    published: str | None = None
    """JSON-LD ``datePublished`` of an article-typed object."""
    h1: str | None = None
    """The text of the first ``<h1>`` that has text."""
    og_title: str | None = None
    title_tag: str | None = None
    site_name: str | None = None
    """``og:site_name``, else a JSON-LD publisher's name."""
    meta_published: str | None = None
    """A publication date from meta tags, ``itemprop`` or an ``<article>``'s ``<time>``."""
    description: str | None = None
    types: frozenset[str] = frozenset()
    """Lower-case JSON-LD ``@type`` values and ``og:type``."""

    @property
    def says_article(self) -> bool:
        return bool(self.types & ARTICLE_TYPES)

    @property
    def says_listing(self) -> bool:
        return bool(self.types & LISTING_TYPES) and not self.says_article


def read_metadata(root: etree._Element) -> PageMetadata:
    """The page's metadata; never raises (malformed JSON-LD is skipped)."""
    metas = _meta_tags(root)
    articles, types, publisher = _json_ld(root)
    headline = next((_text(item.get("headline") or item.get("name")) for item in articles), None)
    published = next(
        (_text(item.get("datePublished")) for item in articles if item.get("datePublished")), None
    )
    og_type = metas.get("og:type")
    return PageMetadata(
        headline=headline,
        meta_headline=_text(metas.get("headline")),
        published=published,
        h1=_first_h1(root),
        og_title=_text(metas.get("og:title")),
        title_tag=_title_tag(root),
        site_name=_text(metas.get("og:site_name")) or publisher,
        meta_published=_meta_published(root, metas),
        description=_text(metas.get("og:description") or metas.get("description")),
        types=frozenset(types | ({og_type.lower()} if og_type else set())),
    )


def _meta_tags(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and key not in found:
            found[key] = content.strip()
    return found


def _json_ld(root: etree._Element) -> tuple[list[dict], set[str], str | None]:
    """Article-typed JSON-LD objects (in page order), every ``@type`` seen, a publisher name."""
    articles: list[dict] = []
    types: set[str] = set()
    publisher = None
    for text in _json_ld_texts(root):
        try:
            document = json.loads(text)
        except ValueError:
            continue
        for item in _objects(document):
            item_types = {kind.lower() for kind in _as_list(item.get("@type")) if isinstance(kind, str)}
            types |= item_types
            if item_types & ARTICLE_TYPES:
                articles.append(item)
                publisher = publisher or _name(item.get("publisher"))
    return articles, types, publisher


def _json_ld_texts(root: etree._Element) -> list[str]:
    """The page's JSON-LD scripts; on a page rendered in the browser, which has none in its
    markup, the JSON-LD of its hydration data."""
    texts = [
        script.text
        for script in root.iter("script")
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text
    ]
    return texts or hydrated_json_ld(root)


def _objects(document) -> Iterator[dict]:
    """Every object of a JSON-LD document: top level, lists and ``@graph``."""
    for item in _as_list(document):
        if isinstance(item, dict):
            yield item
            yield from _objects(item.get("@graph"))
            if isinstance(item.get("mainEntity"), dict):
                yield item["mainEntity"]


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name(value) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    return _text(value.get("name")) if isinstance(value, dict) else None


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    # Many CMSes escape HTML entities into JSON-LD and meta values a second time
    # ("&quot;", "&#039;"): unescape once more; a lone "&" is left as it is.
    text = _SPACES.sub(" ", html.unescape(value)).strip()
    return text or None


def _first_h1(root: etree._Element) -> str | None:
    for heading in root.iter("h1"):
        text = _text(
            heading.text_content() if hasattr(heading, "text_content") else "".join(heading.itertext())
        )
        if text:
            return text
    return None


def _title_tag(root: etree._Element) -> str | None:
    for title in root.iter("title"):
        return _text("".join(title.itertext()))
    return None


def _meta_published(root: etree._Element, metas: dict[str, str]) -> str | None:
    """Only markup that names the page's own publication counts: a sidebar teaser's
    ``<time>`` would date another item, so a ``<time>`` counts only inside an ``<article>``."""
    for key in _PUBLISHED_META:
        if metas.get(key):
            return metas[key]
    for element in _WITH_ITEMPROP(root):
        if (element.get("itemprop") or "").lower() == "datepublished":
            value = element.get("datetime") or element.get("content")
            if value and value.strip():
                return value.strip()
    for time_element in root.iterfind(".//article//time[@datetime]"):
        return time_element.get("datetime").strip()
    return None
