"""The services' plain results that hold rules of their own (services/common/views.py): a
ledger whose entries are made when first read, a customer draft that names only the
fields it changes, the day's average handling time, a team lead's role."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from cc_terminal.services.common.views import (
    Actor,
    CustomerCard,
    CustomerDraft,
    EntryKind,
    LedgerEntry,
    Phone,
    Timeline,
    TodayStats,
    of_kind,
)

AT = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
KINDS = (EntryKind.CALL, EntryKind.OFFER, EntryKind.CALL)


def entry(index: int) -> LedgerEntry:
    return LedgerEntry(AT, KINDS[index], f"code{index}", "", "", "", uuid.UUID(int=index))


def counted() -> tuple[Timeline, list[int]]:
    made: list[int] = []

    def make(index: int) -> LedgerEntry:
        made.append(index)
        return entry(index)

    return Timeline(KINDS, make), made


def test_a_timelines_entries_are_made_once_when_first_read():
    timeline, made = counted()
    assert len(timeline) == 3 and made == []
    assert timeline[0] == entry(0) and timeline[0] is timeline[0]
    assert timeline[-1] == entry(2) and made == [0, 2]
    with pytest.raises(IndexError, match=r"^3$"):
        timeline[3]
    with pytest.raises(IndexError):
        timeline[-4]
    assert timeline[0:2] == (entry(0), entry(1))
    assert timeline[1:] == (entry(1), entry(2))
    assert made == [0, 2, 1]


def test_reading_one_kind_makes_only_its_entries():
    timeline, made = counted()
    assert list(timeline.of_kind(EntryKind.OFFER)) == [entry(1)]
    assert made == [1]
    assert list(of_kind(timeline, EntryKind.CALL)) == [entry(0), entry(2)]
    assert made == [1, 0, 2]
    plain = [entry(0), entry(1), entry(2)]
    assert list(of_kind(plain, EntryKind.CALL, EntryKind.OFFER)) == plain
    assert list(of_kind(plain, EntryKind.ORDER)) == []


def test_a_timeline_equals_the_entries_it_holds():
    timeline, _made = counted()
    assert list(timeline) == [entry(0), entry(1), entry(2)]
    assert timeline == (entry(0), entry(1), entry(2))
    assert timeline != [entry(0)]
    assert timeline != "not a ledger" and timeline.__eq__(5) is NotImplemented
    assert hash(timeline) == hash((entry(0), entry(1), entry(2)))
    assert repr(timeline) == "Timeline(3 entries)"


def test_a_draft_names_only_customer_fields_and_reads_the_others_empty():
    with pytest.raises(TypeError) as refused:
        CustomerDraft(full_name="Jan", shoe_size="44", colour="red")  # type: ignore[arg-type]
    assert str(refused.value) == "not customer fields: colour, shoe_size"
    draft = CustomerDraft(full_name="Jan Novák")
    assert (draft.full_name, draft.city, draft.value("email")) == ("Jan Novák", "", "")
    assert (draft.phones, draft.do_not_call) == (None, None)
    with pytest.raises(AttributeError, match=r"^shoe_size$"):
        draft.shoe_size  # noqa: B018


def test_a_draft_from_a_card_holds_all_of_it_with_the_changes_over_it():
    values = {"full_name": "Jan Novák", "street": "Nová", "house_number": "5", "city": "Praha"}
    card = CustomerCard(
        uuid.uuid4(),
        values | {"postal_code": "110 00"},
        do_not_call=True,
        priority=False,
        version=3,
        phones=(Phone("+420601123456", "+420 601 123 456"), Phone("+420777", "+420 777")),
    )
    assert (card.full_name, card.city) == ("Jan Novák", "Praha")
    assert card.address == "Nová 5, 110 00 Praha"
    with pytest.raises(AttributeError, match=r"^shoe_size$"):
        card.shoe_size  # noqa: B018
    draft = CustomerDraft.from_card(card, city="Brno")
    assert (draft.city, draft.street, draft.phones) == (
        "Brno",
        "Nová",
        "+420 601 123 456, +420 777",
    )
    assert draft.do_not_call is True
    kept = CustomerDraft.from_card(card, phones="", do_not_call=False)
    assert (kept.phones, kept.do_not_call, kept.city) == ("", False, "Praha")


def test_the_days_average_handling_time():
    assert TodayStats(calls=3, talk_seconds=100, wrap_seconds=21).average_handling_seconds == 40
    assert TodayStats(calls=0, talk_seconds=100, wrap_seconds=20).average_handling_seconds == 0


def test_only_the_lead_role_is_a_team_lead():
    person = uuid.uuid4()
    assert Actor(person, "vedouci", "Lída", "lead").is_lead
    assert not Actor(person, "jana", "Jana", "operator").is_lead
    assert not Actor(person, "gateway", "Gateway", "service").is_lead
