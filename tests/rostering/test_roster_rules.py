"""The roster's rules as a team lead meets them: needs set by hand or by Erlang C with the
reason shown, each refusal in its exact words, a published week closed to solving and
pinning, and the published week exported and printed exactly."""

from __future__ import annotations

import csv
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cc_terminal.models import AuditEvent
from cc_terminal.models.roster import Roster, StaffingNeed
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation

WEEK = date(2026, 12, 7)  # the week after next, seen from Friday 27 November
LEAD_ONLY = "Only a team lead sets needs, solves and publishes the roster."


def team_size(ws: Workstation, lead: Actor) -> int:
    return ws.days_off.coverage(lead, WEEK).heads[(WEEK, "early")]


def test_each_need_says_why_it_is_what_it_is(ws, lead, clock):
    heads = team_size(ws, lead)
    ws.roster.set_need(lead, WEEK, "early", 2)
    ws.roster.set_need(lead, WEEK, "late", heads + 1)
    ws.roster.set_need(lead, WEEK + timedelta(days=1), "early", 1, "erlang", "")
    ws.roster.set_need(lead, WEEK + timedelta(days=1), "late", 1, "erlang", "9 calls")
    ws.roster.set_need(lead, WEEK + timedelta(days=7), "early", 1)  # the week after
    assert ws.roster.need_reasons(WEEK) == {
        (WEEK, "early"): "set by a team lead",
        (WEEK, "late"): f"above the team's {heads} heads",
        (WEEK + timedelta(days=1), "early"): "Erlang C",
        (WEEK + timedelta(days=1), "late"): "9 calls",
    }
    clock.advance(60)
    ws.roster.set_need(lead, WEEK, "early", 500)
    with ws.db.read() as session:
        row = session.scalars(
            select(StaffingNeed).where(StaffingNeed.day == WEEK, StaffingNeed.shift == "early")
        ).one()
        assert (row.heads, row.version, row.set_by, row.set_at) == (
            500,
            2,
            lead.operator_id,
            clock(),
        )


@pytest.mark.parametrize(
    ("shift", "heads", "errors"),
    [
        ("night", 2, {"shift": "Early or late."}),
        ("early", 501, {"heads": "0 to 500 heads."}),
        ("late", -1, {"heads": "0 to 500 heads."}),
    ],
)
def test_a_need_out_of_range_is_refused_and_nothing_stored(ws, lead, shift, heads, errors):
    ws.roster.set_need(lead, WEEK, "early", 0)
    ws.roster.set_need(lead, WEEK, "late", 0)
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.set_need(lead, WEEK, shift, heads)
    assert refused.value.errors == errors
    assert (ws.roster.needs(WEEK)[(WEEK, "early")], ws.roster.needs(WEEK)[(WEEK, "late")]) == (0, 0)


def test_only_a_lead_sets_needs_proposes_solves_pins_publishes_and_exports(ws, jana, tmp_path):
    for call in (
        lambda: ws.roster.set_need(jana, WEEK, "early", 1),
        lambda: ws.roster.propose(jana, WEEK, 180, volume=lambda day: {}),
        lambda: ws.roster.pin(jana, WEEK, jana.operator_id, WEEK, "late"),
        lambda: ws.roster.publish(jana, WEEK),
        lambda: ws.roster.export(jana, WEEK, tmp_path / "week.csv"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert str(refused.value) == LEAD_ONLY


def test_the_busiest_half_hour_of_each_shift_sets_its_proposal(ws, lead):
    ws.days_off.set_rules(lead, 2, "18:00", 1, 5, 6)
    last_early, first_late = 27, 28  # 13:30-14:00 and 14:00-14:30
    proposals = ws.roster.propose(
        lead,
        WEEK,
        180,
        volume=lambda day: {last_early: 100.0} if day == WEEK else {first_late: 40.0},
    )
    monday = [(p.shift, p.calls, p.heads, p.detail) for p in proposals if p.day == WEEK]
    assert monday == [
        ("early", 100.0, 20, "100 calls in the busiest half hour: 14 agents, 20 scheduled"),
        ("late", 0.0, 1, "0 calls in the busiest half hour: 0 agents, 0 scheduled"),
    ]
    tuesday = [(p.shift, p.calls) for p in proposals if p.day == WEEK + timedelta(days=1)]
    assert tuesday == [("early", 0.0), ("late", 40.0)]
    assert len(proposals) == 14
    assert ws.roster.need_reasons(WEEK)[(WEEK, "early")] == monday[0][3]


def published(ws: Workstation, lead: Actor) -> None:
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.publish(lead, WEEK)
    assert refused.value.errors == {"week": "Solve the week before publishing it."}
    solution = ws.roster.solve(lead, WEEK)
    assert ws.roster.view(lead, WEEK).status == "0 requests granted, 0 not; optimal"
    assert solution.feasible
    ws.roster.publish(lead, WEEK)


def test_a_published_week_is_neither_solved_nor_pinned_again(ws, lead, petr, clock):
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.pin(lead, WEEK, petr.operator_id, WEEK, "night")
    assert refused.value.errors == {"shift": "Early, late or off."}
    clock.advance(60)
    published(ws, lead)
    with ws.db.read() as session:
        roster = session.scalars(select(Roster).where(Roster.week_start == WEEK)).one()
        assert (roster.state, roster.version) == ("published", 3)  # made, solved, published
        assert (roster.solved_by, roster.published_by) == (lead.operator_id, lead.operator_id)
        assert roster.published_at == clock()
    closed = {"week": "The week is published; file change requests."}
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.solve(lead, WEEK + timedelta(days=2))  # any day of the week names it
    assert refused.value.errors == closed
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.pin(lead, WEEK, petr.operator_id, WEEK, "late")
    assert refused.value.errors == closed


def test_an_infeasible_week_is_not_published(ws, lead, petr):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK, "late")  # a cell the solve keeps
    ws.roster.set_need(lead, WEEK, "early", team_size(ws, lead) + 1)
    assert not ws.roster.solve(lead, WEEK).feasible
    assert ws.roster.view(lead, WEEK).status.startswith("! ")
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.publish(lead, WEEK)
    assert refused.value.errors == {"week": "The week has no feasible roster yet."}


def test_only_a_published_week_is_exported_or_printed_and_only_as_csv_or_xlsx(ws, lead, tmp_path):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK)
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.export(lead, WEEK, tmp_path / "week.csv")
    assert refused.value.errors == {"week": "Only a published week is exported."}
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.week_text(lead, WEEK)
    assert refused.value.errors == {"week": "Only a published week is printed."}
    ws.roster.publish(lead, WEEK)
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.export(lead, WEEK, tmp_path / "week.txt")
    assert refused.value.errors == {"path": "A .csv or .xlsx file."}
    assert not (tmp_path / "week.txt").exists()


def marks(ws: Workstation, lead: Actor) -> dict[str, list[str]]:
    """Each operator's week by name: early, late or off."""
    view = ws.roster.view(lead, WEEK)
    return {
        name: [view.cells.get((operator, day), ("", False))[0] or "off" for day in view.days]
        for operator, name in view.names.items()
    }


def test_the_published_week_is_exported_by_name_and_printed_on_80_columns(ws, lead, tmp_path):
    published(ws, lead)
    week = marks(ws, lead)
    names = sorted(week)
    assert ws.roster.export(lead, WEEK, tmp_path / "week.csv") == len(names)
    with (tmp_path / "week.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    days = [(WEEK + timedelta(days=n)).isoformat() for n in range(7)]
    assert rows == [["operator", *days], *([name, *week[name]] for name in names)]
    with ws.db.read() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.kind == "export")).one()
    assert (audited.subject, audited.detail) == (
        "roster 2026-12-07",
        f"week.csv: {len(names)} rows",
    )
    lines = ws.roster.week_text(lead, WEEK).splitlines()
    letter = {"early": "E", "late": "L", "off": "-"}
    assert lines[:4] == [
        "Roster, week of 07.12.2026",
        "E early 06-14, L late 14-22, - off",
        "",
        " " * 24 + "Mon 07  Tue 08  Wed 09  Thu 10  Fri 11  Sat 12  Sun 13  ",
    ]
    assert lines[4:] == [
        f"{name[:23]:<23} " + "".join(letter[m].ljust(8) for m in week[name]).rstrip()
        for name in names
    ]


def test_the_week_is_written_as_csv_xlsx_and_printout_side_by_side(ws, lead, tmp_path):
    published(ws, lead)
    base = ws.roster.write_week(lead, WEEK + timedelta(days=3), tmp_path / "out")
    assert base == str(tmp_path / "out" / "roster-2026-12-07")
    for suffix in (".csv", ".xlsx", ".txt"):
        written = tmp_path / "out" / f"roster-2026-12-07{suffix}"
        assert written.stat().st_mode & 0o777 == 0o600
    printout = (tmp_path / "out" / "roster-2026-12-07.txt").read_text(encoding="utf-8")
    assert printout == ws.roster.week_text(lead, WEEK)


def test_an_operator_sees_no_week_until_it_is_published_and_then_only_her_own_row(ws, lead, jana):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK)
    draft = ws.roster.view(jana, WEEK)
    assert (draft.state, draft.cells, draft.status) == ("", {}, "")
    ws.roster.publish(lead, WEEK)
    seen = ws.roster.view(jana, WEEK + timedelta(days=6))
    assert seen.state == "published" and seen.week_start == WEEK
    assert {operator for operator, _day in seen.cells} == {jana.operator_id}
    assert len(seen.cells) == 7
    assert ws.roster.view(jana, WEEK + timedelta(days=7)).cells == {}
    assert uuid.UUID(int=0) not in seen.names


def test_the_volume_counts_the_four_weeks_before_from_midnight_to_midnight(ws, jana):
    from datetime import UTC, datetime

    from tests.tally.tally_records import add_call

    prague_midnight = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)  # Monday 30 November, 00:00
    for when in (
        prague_midnight - timedelta(weeks=1),  # 00:00 a week before: slot 0
        prague_midnight - timedelta(weeks=2, minutes=-570),  # 09:30: slot 19
        prague_midnight - timedelta(weeks=3, minutes=-585),  # 09:45: slot 19
        prague_midnight - timedelta(weeks=3, days=-1),  # the Tuesday's midnight: not Monday
        prague_midnight,  # the day itself: not its own history
        prague_midnight - timedelta(weeks=5),  # five weeks before: too old
    ):
        add_call(ws, jana, when, 60, 10)
    assert ws.roster.expected_volume(WEEK - timedelta(weeks=1)) == {0: 0.25, 19: 0.5}


def test_a_stricter_target_proposes_more_heads(ws, lead):
    from cc_terminal.services.rostering.erlang import Target

    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    busy = {slot: 100.0 for slot in range(16, 20)}
    usual = ws.roster.propose(lead, WEEK, 180, volume=lambda day: busy)[0]
    strict = ws.roster.propose(lead, WEEK, 180, Target(0.95, 10), volume=lambda day: busy)[0]
    assert (usual.heads, strict.heads) == (20, 23)


def test_needs_of_the_week_before_are_not_this_weeks_reasons(ws, lead):
    ws.roster.set_need(lead, WEEK - timedelta(days=1), "early", 1)
    ws.roster.set_need(lead, WEEK, "late", 1)
    assert ws.roster.need_reasons(WEEK) == {(WEEK, "late"): "set by a team lead"}


def test_a_pin_again_is_the_cells_next_version_and_touches_no_other_cell(ws, lead, jana, petr):
    from cc_terminal.models.roster import RosterCell

    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK, "late")
    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK + timedelta(days=1), "early")
    ws.roster.pin(lead, WEEK, jana.operator_id, WEEK + timedelta(days=1), "early")
    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK + timedelta(days=1), "")
    with ws.db.read() as session:
        cells = {
            (c.operator_id, (c.day - WEEK).days): (c.shift, c.version)
            for c in session.scalars(select(RosterCell))
        }
    assert cells == {
        (petr.operator_id, 0): ("late", 1),
        (petr.operator_id, 1): ("", 2),
        (jana.operator_id, 1): ("early", 1),
    }
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.pin(lead, WEEK, petr.operator_id, WEEK - timedelta(days=1), "late")
    assert refused.value.errors == {"day": "Sun 06.12. is not in the week of 07.12.2026."}
    with pytest.raises(ValidationFailed) as refused:
        ws.roster.publish(lead, WEEK)  # pinned cells, but never solved
    assert refused.value.errors == {"week": "Solve the week before publishing it."}


def test_the_leads_roster_steps_are_her_own_writes(ws, lead, petr):
    from cc_terminal.models import OutboxOp

    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.set_need(lead, WEEK, "early", 1)
    ws.roster.pin(lead, WEEK, petr.operator_id, WEEK, "late")
    ws.roster.solve(lead, WEEK)
    ws.roster.publish(lead, WEEK)
    with ws.db.read() as session:
        query = select(OutboxOp.entity, OutboxOp.kind, OutboxOp.actor_id).where(
            OutboxOp.entity.in_(["staffing_need", "roster", "roster_cell"])  # type: ignore[attr-defined]
        )
        ops = session.execute(query).all()
    assert {(entity, kind) for entity, kind, _who in ops} >= {
        ("staffing_need", "insert"),
        ("roster", "insert"),
        ("roster", "update"),
        ("roster_cell", "insert"),
    }
    assert {who for _entity, _kind, who in ops} == {lead.operator_id}


def test_the_solver_says_why_a_request_was_not_granted_and_reports_its_progress(ws, lead):
    from tests.rostering.days_off_floor import PASSWORD, set_up_days_off

    set_up_days_off(ws)
    karel = ws.auth.login("karel", PASSWORD)
    (thursday,) = [
        r for r in ws.days_off.requests(lead, WEEK) if r.operator_id == karel.operator_id
    ]
    said: list[str] = []
    ws.roster.solve(lead, WEEK, progress=said.append)
    assert said
    explained = ws.roster.view(lead, WEEK).explanations
    assert list(explained) == [str(thursday.id)]
    assert explained[str(thursday.id)].startswith("Thu 10.12.")
    (denied,) = ws.roster.view(lead, WEEK).denied  # whose request, which day, what
    assert (denied.operator_name, denied.day, denied.shift) == (
        "Karel Malý",
        thursday.day,
        thursday.shift,
    )
    assert denied.why == explained[str(thursday.id)]


def test_a_week_never_solved_is_empty_for_the_lead_too(ws, lead):
    seen = ws.roster.view(lead, WEEK + timedelta(days=2))
    assert (seen.week_start, seen.state, seen.cells, seen.explanations, seen.status) == (
        WEEK,
        "",
        {},
        {},
        "",
    )
    assert set(seen.names.values()) == {"Jana Svobodová", "Petr Dvořák"}


def test_an_infeasible_week_names_every_problem(ws, lead):
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    heads = team_size(ws, lead)
    for shift in ("early", "late"):
        ws.roster.set_need(lead, WEEK + timedelta(days=6), shift, heads + 1)
    ws.roster.solve(lead, WEEK)
    assert ws.roster.view(lead, WEEK).status == (
        f"! Sun 13.12. early needs {heads + 1} heads; only {heads} can work it."
        f" Sun 13.12. late needs {heads + 1} heads; only {heads} can work it."
    )


def test_someone_who_joined_after_publishing_is_off_all_week_in_the_files(ws, lead, tmp_path):
    from openpyxl import load_workbook

    from tests.rostering.days_off_floor import set_up_days_off

    set_up_days_off(ws)
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK)
    ws.roster.publish(lead, WEEK)
    ws.auth.create_operator(lead, "adam", "Adam Nový", "operator", "adam-pass-12")
    week = marks(ws, lead)
    assert week["Adam Nový"] == ["off"] * 7
    ws.roster.export(lead, WEEK, tmp_path / "week.xlsx")
    sheet = load_workbook(tmp_path / "week.xlsx").worksheets[0]
    assert sheet.title == "Week 07.12.2026"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in rows] == ["operator", *sorted(week)]
    assert rows[1][1:] == ["off"] * 7  # Adam comes first by name
    printed = ws.roster.week_text(lead, WEEK).splitlines()[4:]
    assert [line[:23].rstrip() for line in printed] == sorted(week)
    assert printed[0] == f"{'Adam Nový':<23} " + "-       " * 6 + "-"
    with ws.db.read() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.kind == "export")).one()
    assert audited.actor_id == lead.operator_id


def test_the_printout_is_utf8_whatever_the_locale(ws, lead, tmp_path, ascii_locale):
    published(ws, lead)
    ws.roster.write_week(lead, WEEK, tmp_path)
    printout = (tmp_path / "roster-2026-12-07.txt").read_bytes().decode("utf-8")
    assert "Jana Svobodová" in printout


def test_a_roster_the_time_limit_cut_short_says_so(ws, lead, monkeypatch):
    from dataclasses import replace

    from cc_terminal.services.rostering import roster as roster_module

    solved = roster_module.solve
    monkeypatch.setattr(
        roster_module, "solve", lambda week, progress: replace(solved(week), optimal=False)
    )
    ws.days_off.set_rules(lead, 2, "18:00", 0, 5, 6)
    ws.roster.solve(lead, WEEK)
    status = ws.roster.view(lead, WEEK).status
    assert status == "0 requests granted, 0 not; the best found in the time limit"
