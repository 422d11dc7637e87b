"""What F6 shows, as rows and text: a day of my form, the review grid with the heads left,
the queue with fairness, the preview of a decision, the roster week."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text

from cc_terminal.formats import short_day, weekday
from cc_terminal.i18n import _, ngettext, pgettext
from cc_terminal.models.roster import RequestState, Shift
from cc_terminal.services.rostering.days_off import STATE_LABELS, RequestView
from cc_terminal.services.rostering.planning_reads import Coverage, Fairness
from cc_terminal.services.rostering.roster import SHIFT_HOURS, RosterView

S = RequestState
DAY_WIDTH = 9
STATE_MARK = {
    S.DRAFT: "·",
    S.SUBMITTED: "?",
    S.APPROVED: "✓",
    S.REJECTED: "✗",
    S.WAITLISTED: "…",
    S.EXPIRED: "⌛",
    S.CANCELLED: "",
    S.REVOKED: "✗",
}
STATE_STYLE = {
    S.APPROVED: "green",
    S.REJECTED: "red",
    S.REVOKED: "red",
    S.WAITLISTED: "yellow",
    S.SUBMITTED: "bold",
    S.DRAFT: "dim",
    S.EXPIRED: "dim",
}
ROSTER_MARK = {"early": "E", "late": "L", "": "-"}


def column_day(day: date) -> str:
    """A day as a week's column title: "Mon 07", "po 07"."""
    return f"{weekday(day)} {day:%d}"


def shift_short(shift: str) -> str:
    """A day off's part in a cell: "day", "early", "late" (the shift, never "past its time")."""
    if shift == Shift.EARLY.value:
        return pgettext("shift", "early")
    if shift == Shift.LATE.value:
        return pgettext("shift", "late")
    return shift or _("day")


def shift_words(shift: str) -> str:
    """A day off's part in a sentence: "whole day", "early shift", "late shift"."""
    if shift == Shift.EARLY.value:
        return _("early shift")
    if shift == Shift.LATE.value:
        return _("late shift")
    return shift or _("whole day")


def filed_late() -> str:
    """A request filed after the deadline (not the late shift)."""
    return pgettext("request", "late")


def state_label(state: RequestState) -> str:
    return _(STATE_LABELS[state])


def review_legend() -> str:
    """What the review grid's marks mean, under it."""
    return _(
        "? asked · ✓ approved · ✗ rejected or revoked · … waitlisted · · draft · ⌛ expired; "
        "day, early, late: the whole day or that shift. heads early 5/3: 5 on the shift, 3 needed."
    )


def roster_legend() -> str:
    """What the roster's letters mean, with the shifts' hours."""
    (early_from, early_to), (late_from, late_to) = (
        SHIFT_HOURS[Shift.EARLY.value],
        SHIFT_HOURS[Shift.LATE.value],
    )
    return _(
        "E early {early_from}:00-{early_to}:00 · L late {late_from}:00-{late_to}:00 · - off · "
        "* pinned"
    ).format(early_from=early_from, early_to=early_to, late_from=late_from, late_to=late_to)


PENDING = (S.SUBMITTED, S.WAITLISTED)


@dataclass(frozen=True)
class ReviewWeek:
    """One week as the review and needs tabs show it, and all their keys act on: replaced
    whole when a week's answer comes in, so no key reaches a week no longer shown."""

    week: date
    requests: list[RequestView]
    queue: list[RequestView]  # the pending requests, in the order shown
    fair: dict[uuid.UUID, Fairness]
    needs: list[tuple[date, str, int]]  # day, shift, heads, in the order shown

    @property
    def days(self) -> list[date]:
        return [self.week + timedelta(days=n) for n in range(7)]

    @classmethod
    def of(
        cls,
        week: date,
        requests: list[RequestView],
        fair: dict[uuid.UUID, Fairness],
        needs: dict[tuple[date, str], int],
        fairest_first: bool,
    ) -> ReviewWeek:
        pending = [r for r in requests if r.state in PENDING]
        if fairest_first:
            none = Fairness(0, 0)
            pending.sort(
                key=lambda r: (
                    -fair.get(r.operator_id, none).denied,
                    fair.get(r.operator_id, none).weekends_off,
                )
            )
        days = [week + timedelta(days=n) for n in range(7)]
        heads = [(day, shift, needs[(day, shift)]) for day in days for shift in ("early", "late")]
        return cls(week, requests, pending, fair, heads)


def day_row(
    day: date, request: RequestView | None, shifts: dict[date, str]
) -> tuple[Text | str, ...]:
    shift = shifts.get(day)
    shown = "" if shift is None else ROSTER_MARK[shift] if shift else _("off")
    if request is None:
        return (short_day(day), "", "", "", shown)
    asked = f"{shift_short(request.shift)} P{request.priority}"
    if request.late:
        asked += " " + filed_late()
    state = Text(state_label(request.state), style=STATE_STYLE.get(request.state, ""))
    why = request.reason or request.note
    return (short_day(day), asked, state, why, shown)


def grid_rows(
    days: list[date],
    requests: list[RequestView],
    names: dict[uuid.UUID, str],
    fair: dict[uuid.UUID, Fairness],
) -> list[tuple[Text | str, ...]]:
    by_cell = {(r.operator_id, r.day): r for r in requests if r.state is not S.CANCELLED}
    rows: list[tuple[Text | str, ...]] = []
    for operator, name in sorted(names.items(), key=lambda item: item[1]):
        cells: list[Text | str] = [name]
        for day in days:
            request = by_cell.get((operator, day))
            if request is None:
                cells.append("")
            else:
                mark = f"{shift_short(request.shift)}{STATE_MARK[request.state]}"
                cells.append(Text(mark, style=STATE_STYLE.get(request.state, "")))
        share = fair.get(operator, Fairness(0, 0))
        rows.append((*cells, str(share.weekends_off), str(share.denied)))
    return rows


def cover_rows(days: list[date], coverage: Coverage) -> list[tuple[Text | str, ...]]:
    rows: list[tuple[Text | str, ...]] = []
    for shift, label in (("early", _("heads early")), ("late", _("heads late"))):
        cells: list[Text | str] = [Text(label, style="bold")]
        for day in days:
            heads, need = coverage.heads.get((day, shift), 0), coverage.needs.get((day, shift), 0)
            cells.append(Text(f"{heads}/{need}", style="bold red" if heads < need else "green"))
        rows.append((*cells, "", ""))
    return rows


def queue_row(
    request: RequestView, fair: dict[uuid.UUID, Fairness], marked: bool
) -> tuple[Text | str, ...]:
    share = fair.get(request.operator_id, Fairness(0, 0))
    return (
        "▪" if marked else "",
        request.operator_name,
        short_day(request.day),
        shift_short(request.shift),
        str(request.priority),
        Text(state_label(request.state), style=STATE_STYLE.get(request.state, "")),
        filed_late() if request.late else "",
        str(share.weekends_off),
        str(share.denied),
        request.note,
    )


def preview_text(chosen: list[RequestView], before: Coverage, after: Coverage) -> Text:
    """What approving the chosen requests does to each day and shift they touch."""
    text = Text()
    who = ", ".join(f"{r.operator_name} {short_day(r.day)}" for r in chosen)
    text.append(_("Approving {who}:").format(who=who) + " ", style="bold")
    touched = sorted(
        {
            (r.day, shift)
            for r in chosen
            for shift in (("early", "late") if not r.shift else (r.shift,))
        }
    )
    parts = []
    for day, shift in touched:
        need = after.needs.get((day, shift), 0)
        now, then = before.heads.get((day, shift), 0), after.heads.get((day, shift), 0)
        style = "bold red" if then < need else "green"
        part = _("{day} {shift} {now} → {then} of {need}").format(
            day=weekday(day), shift=shift_short(shift), now=now, then=then, need=need
        )
        parts.append((part, style))
    for index, (part, style) in enumerate(parts):
        if index:
            text.append(" · ")
        text.append(part, style=style)
    return text


def roster_rows(
    view: RosterView, needs: dict[tuple[date, str], int]
) -> list[tuple[Text | str, ...]]:
    rows: list[tuple[Text | str, ...]] = []
    for operator, name in sorted(view.names.items(), key=lambda item: item[1]):
        cells: list[Text | str] = [name]
        for day in view.days:
            cell = view.cells.get((operator, day))
            if cell is None:
                cells.append("")
                continue
            shift, pinned = cell
            cells.append(
                Text(ROSTER_MARK[shift] + ("*" if pinned else ""), style="bold" if pinned else "")
            )
        rows.append(tuple(cells))
    if view.cells:
        for shift, label in (("early", _("cover early")), ("late", _("cover late"))):
            cover: list[Text | str] = [Text(label, style="bold")]
            for day in view.days:
                heads = sum(
                    1
                    for (_op, one), (worked, _pin) in view.cells.items()
                    if one == day and worked == shift
                )
                need = needs.get((day, shift), 0)
                cover.append(Text(f"{heads}/{need}", style="bold red" if heads < need else "green"))
            rows.append(tuple(cover))
    return rows


def request_words(name: str, day: date, shift: str) -> str:
    """Whose day off, which day, what: "Jana Svobodová, Sat 19.12. early shift"."""
    return _("{name}, {day} {what}").format(name=name, day=short_day(day), what=shift_words(shift))


def reject_title(chosen: list[RequestView]) -> str:
    """The reject dialog names the request, or each of the marked ones (five at most)."""
    if len(chosen) == 1:
        only = chosen[0]
        return _("Reject {request}: why?").format(
            request=request_words(only.operator_name, only.day, only.shift)
        )
    lines = [f"· {request_words(r.operator_name, r.day, r.shift)}" for r in chosen[:5]]
    if len(chosen) > 5:
        lines.append(_("· and {n} more").format(n=len(chosen) - 5))
    title = ngettext(
        "Reject this {n} request: why?", "Reject these {n} requests: why?", len(chosen)
    ).format(n=len(chosen))
    return "\n".join([title, *lines])
