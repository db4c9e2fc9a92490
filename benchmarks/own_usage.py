"""Run a command and report its own CPU time and peak memory, free of the measuring process's.

Linux counts in a process's peak RSS (``ru_maxrss``) the peak of the memory it was started
from: ``exec`` keeps the larger of the two. A crawl started straight from a benchmark that
holds 90 MiB (the mirror, the service's warm fork server) reports at least 90 MiB however
little it uses (checked: ``/bin/true`` run from a process holding 150 MiB reported 163).
Started from this launcher, a plain interpreter without the site module, a command's peak
carries at most the launcher's own few MiB.

    python -S benchmarks/own_usage.py FD COMMAND [ARGUMENT...]

It runs ``COMMAND`` with this process's standard streams, environment and directory, writes
``user+system CPU seconds`` and ``peak RSS KiB`` to the file descriptor ``FD`` (a pipe of the
caller's), and exits as the command did. Standard library only, run as a script: it must
stay small.
"""

import os
import sys


def main(argv):
    report = int(argv[1])
    command = argv[2:]
    os.set_inheritable(report, False)
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    os.write(report, f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}\n".encode())
    os.close(report)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
