"""Running newswatch: the command line, the crawl job and (later) the scheduled service."""
