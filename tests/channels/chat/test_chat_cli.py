"""``cc-terminal chat serve`` refuses what it cannot serve with one clear line: a key file
that is missing or not the service's, a topic not written CODE=Label."""

from __future__ import annotations

from pathlib import Path

from cc_terminal.services.privacy.service_identity import write_key_file
from cc_terminal.store.keyring import new_key
from tests.cli_run import cli, cli_process


def test_serve_without_its_key_file_says_so(tmp_path: Path) -> None:
    result = cli_process(tmp_path, "chat", "serve", "--key-file", str(tmp_path / "none.pem"))
    assert result.returncode == 1
    assert result.stderr.startswith("cc-terminal: ") and "none.pem" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_another_key_or_a_bad_topic_says_so(tmp_path: Path) -> None:
    stranger = tmp_path / "stranger.pem"
    write_key_file(stranger, new_key())
    result = cli(tmp_path, "chat", "serve", "--key-file", str(stranger))
    assert (result.returncode, result.stderr) == (
        1,
        "cc-terminal: No service account chat-gateway.\n",
    )
    result = cli(tmp_path, "chat", "serve", "--key-file", str(stranger), "--topic", "billing")
    assert result.returncode == 1
    assert result.stderr == "cc-terminal: --topic takes CODE=Label, not billing.\n"


def test_serve_on_a_floor_folder_it_has_not_joined_says_so(tmp_path: Path) -> None:
    """The gateway is a member of a folder floor only once ``floor join`` kept its key."""
    result = cli(
        tmp_path, "--sync-dir", str(tmp_path / "floor"), "chat", "serve", "--key-file", "k.pem"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("cc-terminal: The chat gateway cannot reach the floor: ")
    assert "Traceback" not in result.stderr
