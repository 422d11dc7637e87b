"""The lists a floor starts with are stored in English and drawn in the language shown;
a Czech team lead editing one sees it in Czech, and saving it untouched keeps it
translatable (stored as shipped), while a label retyped is the lead's own words."""

from __future__ import annotations

from sqlalchemy import select

from cc_terminal.models import ReferenceItem
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until


def stored_label(app, code: str) -> str:
    with app.require_services().db.read() as session:
        item = session.scalars(select(ReferenceItem).where(ReferenceItem.code == code)).first()
        return item.label


async def test_a_shipped_label_is_edited_in_czech_and_kept_translatable(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock, language="cs")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        await pilot.press("f10", "2")
        await settle(pilot)
        await pilot.press("enter")  # the first call reason
        await settle(pilot)
        label = pilot.app.screen.query_one("#setup-label")
        assert label.value == "Dotaz na tarif nebo službu"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not pilot.app.screen.query("#setup-label"))
        assert stored_label(app, "tariff_question") == "Tariff or service question"
        await pilot.press("enter")
        await settle(pilot)
        label = pilot.app.screen.query_one("#setup-label")
        label.value = ""
        label.focus()
        await type_text(pilot, "Dotaz na tarif")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not pilot.app.screen.query("#setup-label"))
        assert stored_label(app, "tariff_question") == "Dotaz na tarif"
