"""Typed settings in one place. Paths are computed when asked for, never at import."""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from cc_terminal.i18n import terminal_language

APP_NAME = "cc-terminal"
DB_ENV = "CC_TERMINAL_DB"
DATA_DIR_ENV = "CC_TERMINAL_DATA_DIR"
SYNC_DIR_ENV = "CC_TERMINAL_SYNC_DIR"
# The terminal's own settings (its phone extension, its softphone), beside its database;
# F10 writes them. The environment wins over the file, an option over both.
TERMINAL_FILE = "terminal.json"
TERMINAL_KEYS = {
    "phone_extension": "CC_TERMINAL_PHONE_EXTENSION",
    "softphone": "CC_TERMINAL_SOFTPHONE",
    "sip_gateway": "CC_TERMINAL_SIP_GATEWAY",
    "transfer_to": "CC_TERMINAL_TRANSFER_TO",
}
PHONE_EXTENSION = re.compile(r"[0-9A-Za-z_.+*#-]{1,16}")
SOFTPHONE = re.compile(r"[0-9A-Za-z.-]{1,253}:[0-9]{1,5}")


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


DEMO_DATABASE = "demo.sqlite3"
DEMO_ACCOUNTS = "demo-accounts.txt"


def demo_accounts_file(settings: Settings) -> Path | None:
    """Where ``cc-terminal demo`` keeps the demo floor's accounts (0600, beside the demo
    database). Only a database named like the demo's can have one: a real floor's
    sign-in screen never points at a password file."""
    path = settings.database_path
    if path is None or path.name != DEMO_DATABASE:
        return None
    return path.with_name(DEMO_ACCOUNTS)


@dataclass(frozen=True)
class Settings:
    """Everything a terminal needs to know about where it stores data and its local rules."""

    db_url: str | None = None
    data_dir: Path = field(default_factory=default_data_dir)
    default_region: str = "CZ"
    timezone: str = "Europe/Prague"
    terminal_name: str = field(default_factory=lambda: os.uname().nodename)
    cursor_blink: bool = True
    # minutes without a key before the screen locks (0: never)
    idle_lock_minutes: float = 10  # fractions too (0.5 locks after 30 s); 0 never
    # the floor folder on the share (floor mode); None: this terminal is on its own
    sync_dir: Path | None = None
    sync_seconds: float = 1.5
    # the terminal's language (--lang, CC_TERMINAL_LANG, the locale); an operator's own
    # language, kept with the account, replaces it after sign-in
    language: str = field(default_factory=lambda: terminal_language())
    # the phone: this terminal's extension (a ring for another never pops here) and its
    # softphone's control address (baresip's ctrl_tcp, "127.0.0.1:4444"; "" none)
    phone_extension: str = ""
    softphone: str = ""
    # where F3 dials: a lead's number goes to sip:NUMBER@GATEWAY ("pbx.example.cz",
    # "127.0.0.1:5070"); "" dials the bare number, which baresip completes with its
    # account's own domain (its registrar)
    sip_gateway: str = ""
    # a live call's transfer targets, "Team lead=200, Billing=301": name=extension, in order
    transfer_to: str = ""

    @classmethod
    def from_env(cls, db_url: str | None = None, **overrides: object) -> Settings:
        url = db_url or os.environ.get(DB_ENV)
        if os.environ.get("CC_TERMINAL_CURSOR_BLINK", "").lower() in {"0", "no", "false", "off"}:
            overrides.setdefault("cursor_blink", False)
        idle = os.environ.get("CC_TERMINAL_IDLE_LOCK_MINUTES", "")
        with contextlib.suppress(ValueError):  # not a number: the default stays
            if float(idle) >= 0:
                overrides.setdefault("idle_lock_minutes", float(idle))
        if os.environ.get(SYNC_DIR_ENV):
            overrides.setdefault("sync_dir", Path(os.environ[SYNC_DIR_ENV]))
        region = os.environ.get("CC_TERMINAL_REGION")
        if region:
            overrides.setdefault("default_region", region.upper())
        settings = cls(db_url=url, **overrides)  # type: ignore[arg-type]
        kept = read_terminal_file(settings.data_dir)
        for key, env in TERMINAL_KEYS.items():
            if key not in overrides and os.environ.get(env) is not None:
                kept[key] = os.environ[env].strip()
            elif key in overrides:
                kept.pop(key, None)
        return settings.with_terminal_values(kept)

    def with_terminal_values(self, values: dict[str, str]) -> Settings:
        """These settings with the terminal file's ``values`` (the keys it knows)."""
        return replace(
            self,
            phone_extension=values.get("phone_extension", self.phone_extension),
            softphone=values.get("softphone", self.softphone),
            sip_gateway=values.get("sip_gateway", self.sip_gateway),
            transfer_to=values.get("transfer_to", self.transfer_to),
        )

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'cc-terminal.sqlite3'}"

    @property
    def storage_mode(self) -> str:
        if self.database_url.startswith("postgresql"):
            return "server"
        return "floor" if self.sync_dir is not None else "embedded"

    @property
    def database_path(self) -> Path | None:
        url = self.database_url
        return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def read_terminal_file(data_dir: Path) -> dict[str, str]:
    """The terminal's own settings from its file: only known keys with text values (a
    broken or missing file is no settings)."""
    try:
        data = json.loads((data_dir / TERMINAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in TERMINAL_KEYS and isinstance(v, str)}


def save_terminal_settings(settings: Settings, values: dict[str, str]) -> Settings:
    """Write ``values`` (keys of ``TERMINAL_KEYS``) to the terminal's file, keeping what
    else it holds, and return the settings with them. The caller checked the values."""
    unknown = set(values) - set(TERMINAL_KEYS)
    if unknown:
        raise ValueError(f"not a terminal setting: {', '.join(sorted(unknown))}")
    kept = read_terminal_file(settings.data_dir) | values
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / TERMINAL_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(kept, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)
    return settings.with_terminal_values(values)
