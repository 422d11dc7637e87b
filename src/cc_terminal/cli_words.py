"""Click's and Typer's own words that the command line shows (usage, the panels of --help,
errors): in the catalogue through this list. Both translate them with the standard library's
gettext, which cli/launch.py points at this program's catalogue and language."""

from __future__ import annotations

from cc_terminal.i18n import N_

CLICK = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Try '{command} {option}' for help."),
    N_("Error: {message}"),
    N_("Aborted!"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Do you want to continue?"),
)
TYPER = (
    N_("(deprecated) "),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Arguments"),
    N_("Error"),
    N_("Aborted."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
)
