"""The ``cc-terminal`` entry point.

A plain ``cc-terminal`` (settings from the environment) is how a terminal starts every
morning, so it goes straight to the app; building Typer's command tree would add about
40 ms before the first frame. Any argument goes to the full CLI (cli/main.py).
"""

from __future__ import annotations

import sys

from cc_terminal.config import Settings


def main() -> None:
    if len(sys.argv) > 1:
        from cc_terminal.cli.main import main as cli_main

        cli_main()
        return
    from cc_terminal.cli.start import run_workstation

    sys.exit(run_workstation(Settings.from_env()))
