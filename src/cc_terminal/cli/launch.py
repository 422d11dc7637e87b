"""The ``cc-terminal`` entry point.

A plain ``cc-terminal`` (settings from the environment) is how a terminal starts every
morning, so it goes straight to the app; building Typer's command tree would add about
40 ms before the first frame. Any argument goes to the full CLI in ``cli.py``.
"""

from __future__ import annotations

import sys

from cc_terminal.config import Settings


def run_workstation(settings: Settings) -> int:
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


def main() -> None:
    if len(sys.argv) > 1:
        from cc_terminal.cli.main import main as cli_main

        cli_main()
        return
    sys.exit(run_workstation(Settings.from_env()))
