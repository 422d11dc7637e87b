"""A customer name holding ESC and BEL (`Eva \\x1b]0;OWNED\\x07\\x1b[2JCerna`) retitled the
terminal and cleared part of the screen. Now every input refuses control characters, and
anything already stored is drawn with them made visible, never sent to the terminal."""

from __future__ import annotations

import pytest
from rich.text import Text

from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.widgets.safe_text import shown, shown_text
from tests.conftest import login
from tests.tui import SIZE, make_app, pop_caller, settle

HOSTILE = "Eva \x1b]0;OWNED\x07\x1b[2JCerna"


def test_control_characters_are_refused_with_a_message_next_to_the_field(ws) -> None:  # type: ignore[no-untyped-def]
    jana = login(ws, "jana")
    with pytest.raises(ValidationFailed) as refused:
        ws.customers.create(
            jana,
            CustomerDraft(
                full_name=HOSTILE,
                phones="+420777123456",
                street="Nová",
                house_number="1",
                city="Praha",
                postal_code="110 00",
            ),
        )
    assert (
        refused.value.errors["full_name"]
        == "A control character (U+001B) cannot be stored; remove it."
    )
    # a note keeps its line breaks
    card = ws.customers.create(
        jana,
        CustomerDraft(
            full_name="Eva Černá",
            phones="+420777123456",
            street="Nová",
            house_number="1",
            city="Praha",
            postal_code="110 00",
            notes="a\nb",
        ),
    )
    assert card.notes == "a\nb"


def test_stored_control_characters_are_shown_as_pictures() -> None:
    assert shown(HOSTILE) == "Eva ␛]0;OWNED␇␛[2JCerna"
    assert shown("a\nb", multi_line=True) == "a\nb"
    styled = Text("x\x1by", style="bold")
    assert shown_text(styled).plain == "x␛y" and shown_text(styled).style == "bold"


async def test_a_hostile_name_already_stored_never_reaches_the_terminal(
    sqlite_url, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        services = app.require_services()
        with services.db.write(None) as session:  # as an old version or a raw import stored it
            session.connection().exec_driver_sql(
                "UPDATE customer SET full_name = ? WHERE full_name = 'Jan Novák'", (HOSTILE,)
            )
        await pop_caller(pilot, "601123456")
        drawn = "".join(
            segment.text
            for widget in app.screen.query("*")
            for y in range(widget.size.height)
            for segment in widget.render_line(y)
        )
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert "Eva ␛]0;OWNED␇␛[2JCerna" in drawn
