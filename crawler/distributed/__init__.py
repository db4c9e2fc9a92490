"""Crawl workers on Redis: the shared queue, cycles, leases and politeness (docs/architecture.md,
"Crawl workers")."""
