"""Starting the workstation's screens: the plain ``cc-terminal`` and ``cc-terminal run``."""

from __future__ import annotations

import sys

from cc_terminal.config import Settings
from cc_terminal.memory import collect_after_start_up


def run_workstation(settings: Settings) -> int:
    collect_after_start_up()
    from cc_terminal.app import CCTerminal
    from cc_terminal.session_log import log, start_log

    start_log(settings.data_dir)
    log.info("workstation started: %s, terminal %s", settings.storage_mode, settings.terminal_name)
    app = CCTerminal(settings)
    result = app.run()
    if isinstance(result, str) and result:
        log.error("workstation stopped: %s", result)
        print(f"cc-terminal: {result}", file=sys.stderr)
        return 1
    if app.return_code:  # an unexpected error: said in words and logged as it happened
        log.error("workstation stopped after an unexpected error")
        return app.return_code
    log.info("workstation stopped")
    return 0
