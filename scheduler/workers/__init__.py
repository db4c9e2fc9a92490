"""Crawl workers: the coordinator (`run --workers`) and the `worker` command (docs/architecture.md,
"Crawl workers")."""
