"""The exit codes of every ``newswatch`` command, in one place."""

EXIT_FAILED = 1
"""The command ran and failed: a database, a crawl, a file it could not write."""
EXIT_USAGE = 2
"""A bad option, value or setting, refused before anything ran."""
EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a command that SIGPIPE stopped (``seq 100000 | head -1``)."""
