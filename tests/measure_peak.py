"""Run a command and write its own peak resident memory (kB) to a file.

Usage: ``python measure_peak.py PEAK_FILE ADDRESS_SPACE_BYTES TIMEOUT_S COMMAND...``

A process started straight from a test inherits the test worker's high-water mark: on
exec, Linux keeps the larger of the old and the new memory's peak in the process's
rusage, so a worker grown to 500 MB would make every command it starts look 500 MB
big. This small process is started fresh, so the command it starts carries only its own
peak. Its stdin, stdout and stderr pass through; its exit status is the command's.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading


def main() -> int:
    peak_file, address_space, timeout, *command = sys.argv[1:]
    limit = int(address_space)

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    process = subprocess.Popen(command, preexec_fn=capped)
    timer = threading.Timer(float(timeout), process.kill)
    timer.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    with open(peak_file, "w", encoding="ascii") as out:
        out.write(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
