"""How large a page may be: one limit for every way a page comes in.

A live crawl does not download a larger answer, and ``newswatch parse`` refuses a larger
file or URL, so a page reads the same whichever way it arrives, and an endless input
(``/dev/zero``, a FIFO) is refused instead of filling the memory.
"""

from __future__ import annotations

MAX_PAGE_BYTES = 5 * 1024 * 1024
"""A larger answer is no news page (the site's are some 100 KB): it is not downloaded, and
it would otherwise be stored and put in every change-log feed."""
MAX_PAGE_LABEL = f"{MAX_PAGE_BYTES // (1024 * 1024)} MB"
"""The limit as the user reads it in messages."""
