"""The baseline for typing: a bare Textual app with one text area, typed into in tmux the way
bench/typing_echo.py types into the workstation."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, TextArea


class BareTyping(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea(id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).cursor_blink = False
        self.notify("Bare typing app ready", timeout=3)


if __name__ == "__main__":
    BareTyping().run()
