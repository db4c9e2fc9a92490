"""Which extractor read a page: a number raised whenever extraction can read the same bytes
differently.

The store keeps each fetched page's bytes and the extractor version that read them. When this
number changes, the stored pages are read again silently (``newswatch reparse``, and before
every crawl): what a better extractor changes in the stored entries is a correction of our own
reading, not an edit on the site, so it makes new versions of the entries but no ``updated``
event. Raise it in the same commit as any change to extraction/ that changes the output of
``newswatch parse`` on some page (the golden snapshots in tests/golden/ show such a change).

A leaf module: it imports nothing of newswatch.
"""

EXTRACTOR_VERSION = 6
"""1: the first versioned extractor (block text, seed rules, markup links and dates).
2: an HTML page's article by evidence (JSON-LD, h1, og:title; the main content by
trafilatura; dates from JSON-LD, the dated title line, meta tags, htmldate on the head);
an HTML page's teaser is an item only when it links to an article.
3: other text renderings of the same pages (blocks a line break apart, one blank line between
teasers, dates glued to their text, in words, or after their items; docs/architecture.md,
"Other renderings of the same pages"); no article on a numbered page of a listing; the main
content cut to the article's block when the extractor returned the whole page, and without
the page's actions and other stories' teasers under it ("Log in to post comments", "Related"); odd pages decoded as far as they
can be (a bad byte, UTF-16, control bytes, deep markup); Russian dates in the text.
4: a page rendered in the browser alone read from its hydration data (the article HTML and
the JSON-LD of a Next.js payload); a microdata ``headline`` meta tag as the headline.
5: date lines of pages in languages the date rules do not read (German, French, Spanish, ...)
read by dateparser, by the site's language or the page's ``<html lang>``.
6: the main content without trafilatura's recall escalation (extraction.main_content): a
short article on a page of much other text is no longer extracted again in recall mode."""
