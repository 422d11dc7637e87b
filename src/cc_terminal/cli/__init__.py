"""The ``cc-terminal`` command line: ``main`` holds the Typer app and its top-level commands,
one module per command group beside it, ``launch`` is the entry point that starts the
workstation or the commands."""
