"""The names under which an entry can be recognised again (docs/architecture.md, "Identity and change").

An article is named by its canonical URL, and by its title where it has no URL; a teaser by
the fingerprint of its folded text. An article also answers to the fingerprints of its lead
(its first paragraph, and its first two), so that a teaser that repeats the lead finds it.
"""

from __future__ import annotations

from extraction.normalize import fingerprint
from storage.ingest.observation import LEAD_PARAGRAPHS, Observation
from storage.models import BUILT_IN_SITE


def url_key(url: str) -> str:
    return f"url:{url}"


def text_key(text: str) -> str:
    return f"text:{fingerprint(text)}"


def title_key(title: str) -> str:
    return f"title:{fingerprint(title)}"


def scoped(site: str, key: str) -> str:
    """``key`` as a name within ``site``: the same words, or even the same URL, seen by two
    sites are two items, each in its own site's feed. The built-in site's keys keep the
    spelling they had before the store knew sites: an entry's feed id is made from its first
    key (storage.ingest.first_sight), so a store rebuilt from scratch gives its items the ids
    their subscribers already hold."""
    return key if site == BUILT_IN_SITE else f"{site}|{key}"


def lookup_keys(observation: Observation, site: str = BUILT_IN_SITE) -> list[str]:
    """Keys to look an observation up by within ``site``, strongest first."""
    keys: list[str] = []
    if observation.url:
        keys.append(url_key(observation.url))
    if observation.is_article and observation.title:
        keys.append(title_key(observation.title))
    keys.extend(_text_keys(observation))
    return [scoped(site, key) for key in keys]


def _text_keys(observation: Observation) -> list[str]:
    if not observation.is_article:
        return [text_key(observation.summary)] if observation.summary else []
    paragraphs = (observation.body or "").split("\n\n")
    leads = ["\n\n".join(paragraphs[:count]) for count in range(1, LEAD_PARAGRAPHS + 1)]
    return [text_key(lead) for lead in dict.fromkeys(leads) if lead.strip()]
