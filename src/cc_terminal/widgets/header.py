"""The workstation header: where you are, who you are, which store, what time it is."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from cc_terminal.i18n import _, ngettext
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.today_strip import clock_duration

NARROW = 100
NAME_ROOM = 32  # cells of the operator's name and role always counted in full
BADGE_WORDS: dict[str, Callable[[int], str]] = {
    "#header-callbacks": lambda n: ngettext("callback due", "callbacks due", n),
    "#header-missed": lambda n: ngettext(
        "missed call to call back", "missed calls to call back", n
    ),
    "#header-badge": lambda n: ngettext("escalation waiting", "escalations waiting", n),
    "#header-overdue": lambda n: ngettext("request overdue", "requests overdue", n),
    "#header-answers": lambda n: ngettext("answer from your lead", "answers from your lead", n),
    "#header-chats": lambda n: ngettext("chat waiting", "chats waiting", n),
}


class WorkstationHeader(Horizontal):
    """Shows the screen title, the operator and role, the storage mode and the clock.

    It follows the app's ``operator_line``, ``storage_line`` and ``clock_text`` reactives.
    Only the operator's name gives way to a narrow terminal: the screen's name, the badges
    and the storage line's states ("2 conflicts to resolve") are never cut; below 100
    columns the title drops the product's name, and the badges say their words only when
    everything fits with them ("▲ 2 · F7" otherwise: a lead's three badges in words
    pushed their name and the store off a 120-column header).
    """

    DEFAULT_CSS = """
    WorkstationHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
    }
    WorkstationHeader Label { padding: 0 1; text-wrap: nowrap; }
    WorkstationHeader #header-title { text-style: bold; }
    WorkstationHeader #header-operator { width: 1fr; text-overflow: ellipsis; text-align: right; }
    WorkstationHeader #header-storage { color: $text-muted; }
    WorkstationHeader #header-badge { background: $error; color: $text; text-style: bold; }
    WorkstationHeader #header-overdue { background: $error; color: $text; }
    WorkstationHeader #header-answers { background: $success; color: $background; }
    WorkstationHeader #header-pause { background: $warning; color: $background; }
    WorkstationHeader #header-days-off { background: $accent; color: $background; }
    WorkstationHeader #header-chats { background: $accent; color: $background; }
    WorkstationHeader #header-chats.-late { background: $error; color: $text; text-style: bold; }
    WorkstationHeader #header-phone { color: $text; text-style: bold; }
    WorkstationHeader #header-phone.-lost { background: $error; }
    WorkstationHeader #header-callbacks, WorkstationHeader #header-missed {
        background: $warning; color: $background; text-style: bold;
    }
    """

    title: reactive[str] = reactive("")

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self._counts: dict[str, tuple[str, str, int]] = {}
        self._texts: dict[str, str] = {}  # the other labels' texts, to measure the room
        self._shown: dict[str, str] = {}  # what each shown-when-any label says now
        self._longest_chat = ""
        self._chat_late = False  # the team lead was told; again once the queue is back in time

    def compose(self) -> ComposeResult:
        yield Label(plain(self._title_text()), id="header-title")
        yield Label(id="header-pause")
        yield Label(id="header-days-off")
        yield Label(id="header-callbacks")
        yield Label(id="header-missed")
        yield Label(id="header-badge")
        yield Label(id="header-overdue")
        yield Label(id="header-answers")
        yield Label(id="header-chats")
        yield Label(id="header-phone")
        yield OperatorLabel(id="header-operator")
        yield Label(id="header-storage")
        yield Label(id="header-clock")

    def on_mount(self) -> None:
        self.watch(self.app, "operator_line", self._show("#header-operator"))
        self.watch(self.app, "storage_line", self._show("#header-storage"))
        self.watch(self.app, "clock_text", self._show("#header-clock"))
        self.watch(self.app, "escalations_waiting", self._badge)
        self.watch(self.app, "requests_overdue", self._overdue)
        self.watch(self.app, "answers_waiting", self._answers)
        self.watch(self.app, "callbacks_due", self._callbacks)
        if hasattr(self.app, "missed_callbacks"):  # only the workstation has a phone
            self.watch(self.app, "missed_callbacks", self._missed)
        self.watch(self.app, "chats_waiting", self._chats)
        self.watch(self.app, "pause_line", self._pause)
        self.watch(self.app, "days_off_due", self._days_off)
        if hasattr(self.app, "phone_line"):  # only the workstation has a phone
            self.watch(self.app, "phone_line", self._phone)

    def _phone(self, line: str) -> None:
        """The phone link's state, only when a softphone is set: connected, or not."""
        self._shown_when_any("#header-phone", line)
        connected = getattr(getattr(self.app, "phone_link", None), "state", "") == "connected"
        self.query_one("#header-phone", Label).set_class(bool(line) and not connected, "-lost")

    def _days_off(self, line: str) -> None:
        self._shown_when_any("#header-days-off", line)

    def _pause(self, line: str) -> None:
        self._shown_when_any("#header-pause", line)

    def _shown_when_any(self, label_id: str, line: str) -> None:
        self._say(label_id, line)
        self._measured(label_id, line)

    def _say(self, label_id: str, line: str) -> None:
        """A label's new text, shown only when there is any. A label's update lays the
        screen out again, so an unchanged text is not given again (the badges are shown
        anew whenever any count or text changes)."""
        if self._shown.get(label_id) == line:
            return
        self._shown[label_id] = line
        label = self.query_one(label_id, Label)
        label.update(plain(line))
        label.display = bool(line)

    def _callbacks(self, due: int) -> None:
        self._counted("#header-callbacks", "◷", "F3", due)

    def _missed(self, given: int) -> None:
        self._counted("#header-missed", "☏", "F7", given)

    def _badge(self, waiting: int) -> None:
        self._counted("#header-badge", "▲", "F7", waiting)

    def _overdue(self, overdue: int) -> None:
        self._counted("#header-overdue", "⚑", "F7", overdue)

    def _answers(self, answers: int) -> None:
        self._counted("#header-answers", "✉", "F7", answers)

    def _chats(self, waiting: tuple[int, int, int]) -> None:
        count, longest, late_seconds = waiting
        self._longest_chat = clock_duration(longest)
        self._counted("#header-chats", "◆", "F8", count)
        late = late_seconds > 0  # past the floor's first-response limit, waiting or given
        self.query_one("#header-chats", Label).set_class(late, "-late")
        actor = getattr(self.app, "actor", None)  # the workstation's: who is signed in
        if late and not self._chat_late and actor is not None and actor.is_lead:
            said = _("A chat has waited {wait} for its first answer: F8.")
            wait = clock_duration(late_seconds)
            self.app.notify(said.format(wait=wait), severity="warning", timeout=10)
        self._chat_late = late

    def _counted(self, badge_id: str, mark: str, key: str, count: int) -> None:
        self._counts[badge_id] = (mark, key, count)
        self._show_badges()

    def _badge_text(self, badge_id: str, with_words: bool) -> str:
        """ "▲ 2 escalations waiting · F7", or "▲ 2 · F7" short; empty at 0."""
        mark, key, count = self._counts[badge_id]
        words = f" {BADGE_WORDS[badge_id](count)}" if with_words else ""
        if badge_id == "#header-chats":  # and since when the longest has waited
            words += f" {self._longest_chat}"
        return f"{mark} {count}{words} · {key}" if count else ""

    def _show_badges(self) -> None:
        with_words = self._room_for_words()
        for badge_id in self._counts:
            self._say(badge_id, self._badge_text(badge_id, with_words))

    def _room_for_words(self) -> bool:
        """Whether every label fits the width with the badges in words (each label has a
        cell of padding on both sides)."""
        width = self.size.width
        if width < NARROW:
            return False
        texts = [self._title_text(), *self._texts.values()]
        texts += [self._badge_text(badge_id, True) for badge_id in self._counts]
        needed = sum(cell_len(text) + 2 for text in texts if text)
        # A name longer than NAME_ROOM gives way itself ("…"): it does not cost the badges
        # their words.
        name = cell_len(self._texts.get("#header-operator", ""))
        return needed - max(0, name - NAME_ROOM) <= width

    def _measured(self, label_id: str, text: str) -> None:
        if self._texts.get(label_id) != text:
            self._texts[label_id] = text
            if self._counts:
                self._show_badges()

    def watch_title(self) -> None:
        if self.is_mounted:
            self.query_one("#header-title", Label).update(plain(self._title_text()))

    def on_resize(self) -> None:
        self.watch_title()
        self._show_badges()

    def _title_text(self) -> str:
        if self.is_mounted and self.size.width < NARROW:
            return self.title
        return f"cc-terminal · {self.title}"

    def _show(self, selector: str) -> Callable[[str], None]:
        def update(text: str) -> None:
            label = self.query_one(selector, Label)
            if isinstance(label, OperatorLabel):
                label.show(text)
            else:
                label.update(plain(text))
            self._measured(selector, text)

        return update


class OperatorLabel(Label):
    """The operator's name and role in the room left: a name too long gives way ("…"),
    the role in its brackets stays whole (cutting the line's end would cut the role)."""

    line = ""

    def show(self, line: str) -> None:
        self.line = line
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.update(plain(role_kept(self.line, self.content_region.width)))


def role_kept(line: str, width: int) -> str:
    """``line`` ("Name (role)") in ``width`` cells, the name cut before the role."""
    if width <= 0 or cell_len(line) <= width or " (" not in line:
        return line
    name, role = line.rsplit(" (", 1)
    room = width - cell_len(role) - 3  # " (" and "…"
    if room < 1:
        return line
    return f"{set_cell_size(name, room).rstrip()}… ({role}"


def operator_line(full_name: str, role: str) -> str:
    roles = {"lead": _("team lead"), "operator": _("operator")}
    return f"{full_name} ({roles.get(role, role)})"
