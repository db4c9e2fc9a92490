"""Scrapy's HTTP handler, imported by the crawl with a stand-in for ``inspect.stack()``
(crawler.runner._import_http_handler), is the same as imported plainly: its deprecated
aliases carry the module names Scrapy gives them, and ``inspect`` is Scrapy's again after."""

from __future__ import annotations

import inspect
import subprocess
import sys

ALIASES = (
    "scrapy.core.downloader.contextfactory.ScrapyClientContextFactory",
    "scrapy.core.downloader.contextfactory.AcceptableProtocolsContextFactory",
    "scrapy.core.downloader.tls.ScrapyClientTLSOptions",
)
PRINT_MODULES = f"""
import importlib
for path in {ALIASES!r}:
    module, name = path.rsplit(".", 1)
    alias = getattr(importlib.import_module(module), name)
    print(path, alias.__module__, alias.__name__)
"""


def aliases_after(importing: str) -> str:
    """The aliases' names, in a fresh interpreter (the handler is imported once per process)."""
    code = importing + PRINT_MODULES
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_the_aliases_are_named_as_a_plain_import_names_them():
    plain = aliases_after("import scrapy.core.downloader.handlers.http11\n")
    ours = aliases_after("import crawler.runner\ncrawler.runner._import_http_handler()\n")
    assert ours == plain
    assert "scrapy.core.downloader.contextfactory ScrapyClientContextFactory" in ours


def test_inspect_is_put_back():
    import scrapy.utils.deprecate

    from crawler.runner import _import_http_handler

    _import_http_handler()
    assert scrapy.utils.deprecate.inspect is inspect
