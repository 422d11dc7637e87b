"""What F5 shows, as text and rows: my figures against the targets and the period before,
the pay preview, my claims by class, my evaluations. Pure formatting, no widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from rich.text import Text

from cc_terminal.formats import amount, local_time, money, money_of, number, spoken_duration
from cc_terminal.i18n import _, ngettext
from cc_terminal.screens.tally.dialogs import success_label
from cc_terminal.services.tally.figures import Kpis, OperatorFigures, PayPreview
from cc_terminal.services.tally.pay import COMPONENT_LABELS, PlanTerms
from cc_terminal.services.tally.quality import EvaluationView
from cc_terminal.services.tally.reconcile import CLASS_LABELS, MatchClass, ReconciledItem
from cc_terminal.services.tally.tally import TallyReport
from cc_terminal.widgets.words import percent

CLASS_STYLES = {
    MatchClass.MATCHED: "green",
    MatchClass.RECORD_ONLY: "cyan",
    MatchClass.CLAIM_ONLY: "bold yellow",
    MatchClass.MISMATCH: "bold yellow",
    MatchClass.CANCELLED: "red",
}


Row = tuple[Text | str, ...]


def titled(columns: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Columns marked with N_, their titles in the language of the moment."""
    return [(_(title), width) for title, width in columns]


def figure_rows(report: TallyReport, region: str) -> list[Row]:
    now, before = report.current.kpis, report.previous.kpis
    targets = report.current.targets
    days = max(now.worked_days, 1)
    return [
        *_time_rows(now, before, targets, days),
        *_result_rows(now, before, targets, days, region),
        _earnings_row(report, region),
    ]


def _figure_row(
    label: str,
    value: float | None,
    show: Callable[[float], str],
    target: float | None = None,
    higher_is_better: bool = True,
    previous: float | None = None,
) -> Row:
    """A figure, its target (green when met, red when not), the period before, the trend."""
    shown = "—" if value is None else show(value)
    aim = ""
    style = ""
    if target:
        sign = "≥" if higher_is_better else "≤"
        aim = f"{sign} {show(target)}"
        if value is not None:
            met = value >= target if higher_is_better else value <= target
            style = "green" if met else "bold red"
    return (
        label,
        Text(shown, style=style),
        aim,
        "—" if previous is None else show(previous),
        _trend(value, previous, higher_is_better),
    )


def _time_rows(now: Kpis, before: Kpis, targets: dict[str, int], days: int) -> list[Row]:
    """The calls and the time they took."""
    row = _figure_row
    calls_target = targets.get("calls_per_day", 0) * days
    return [
        row(_("Calls handled"), now.handled, _count, calls_target, previous=before.handled),
        *_chat_rows(now, before),
        row(_("Talk time"), now.talk_seconds, _duration, previous=before.talk_seconds),
        row(_("Wrap time"), now.wrap_seconds, _duration, previous=before.wrap_seconds),
        row(
            _("Average handling"),
            now.aht_seconds,
            _duration,
            targets.get("aht_seconds"),
            False,
            before.aht_seconds,
        ),
        row(_("Paid hours"), now.paid_seconds, _duration, previous=before.paid_seconds),
        row(_("Occupancy"), now.occupancy, percent, previous=before.occupancy),
        row(_("Utilisation"), now.utilisation, percent, previous=before.utilisation),
    ]


def _chat_rows(now: Kpis, before: Kpis) -> list[Row]:
    """Of the calls, the chats, the letters and the messages they pay (one per customer
    turn); each shown once there are any."""
    letters = bool(now.letters or before.letters)
    if not (now.chats or before.chats or letters):
        return []
    row = _figure_row
    rows = []
    if now.chats or before.chats:
        rows.append(row("· " + _("chats"), now.chats, _count, previous=before.chats))
        per_hour = before.chats_per_hour
        rows.append(row("· " + _("chats per hour"), now.chats_per_hour, _rate, previous=per_hour))
        waited = before.first_response_seconds_each
        rows.append(
            row(
                "· " + _("first response (from the chat reaching you)"),
                now.first_response_seconds_each,
                _duration,
                higher_is_better=False,
                previous=waited,
            )
        )
    if letters:
        rows.append(row("· " + _("letters"), now.letters, _count, previous=before.letters))
    paid = (
        _("messages paid (chats and letters, one per customer turn)")
        if letters
        else _("chat messages paid (one per customer turn)")
    )
    rows.append(row("· " + paid, now.valid_messages, _count, previous=before.valid_messages))
    return rows


def _result_rows(
    now: Kpis, before: Kpis, targets: dict[str, int], days: int, region: str
) -> list[Row]:
    """What the calls came to: successes by kind, sales, quality, complaints."""
    row = _figure_row
    successes_target = targets.get("successes_per_day", 0) * days
    rows = [
        row(_("Successes"), now.successes, _count, successes_target, previous=before.successes),
        row(_("Order follow-up calls (talk time, not successes)"), now.follow_ups, _count),
    ]
    for kind, count in sorted(now.by_kind.items()):
        rows.append(("· " + success_label(kind), str(count), "", "", ""))
    sales_target = targets.get("sales_per_day", 0) * days
    return [
        *rows,
        row(
            _("Sales"),
            now.sales_minor,
            lambda v: money(int(v), "CZK", region),
            sales_target,
            previous=before.sales_minor,
        ),
        row(_("Conversion"), now.conversion, percent, previous=before.conversion),
        _quality_row(now, before, targets),
        row(_("Justified complaints"), now.complaints, _count, None, False, before.complaints),
    ]


def _quality_row(now: Kpis, before: Kpis, targets: dict[str, int]) -> Row:
    qa_target = targets.get("qa", 0) / 10000 if targets.get("qa") else None
    label = ngettext(
        "Quality score ({n} call scored)", "Quality score ({n} calls scored)", now.evaluations
    )
    return _figure_row(
        label.format(n=now.evaluations), now.qa, percent, qa_target, previous=before.qa
    )


def _earnings_row(report: TallyReport, region: str) -> Row:
    pay = report.current.pay
    earned = None if pay is None else float(pay.result.total)
    before_pay = None if report.previous.pay is None else float(report.previous.pay.result.total)
    currency = pay.result.currency if pay else "CZK"
    return _figure_row(
        _("Earnings"),
        earned,
        lambda v: money(round(v * 100), currency, region),
        previous=before_pay,
    )


def pay_text(figures: OperatorFigures, region: str = "CZ") -> Text:
    pay = figures.pay
    if pay is None or figures.plan is None:
        return Text(_("No pay plan: a team lead assigns one (Team tab, key A)."), style="dim")
    text = Text()
    title = _("Pay under {plan}").format(plan=figures.plan.name)
    text.append(
        title + (" · " + _("closed, as paid") if pay.closed else " · " + _("preview")) + "\n\n",
        style="bold",
    )
    _append_pay_lines(text, pay, figures.plan, region)
    _append_pay_notes(text, pay, figures.plan, figures.open_disputes, region)
    if figures.kpis.follow_ups:
        follow_ups = ngettext(
            "{n} call an order promised (a visit confirmed, a loan's reminder): paid as talk "
            "time and as a call, never as a success.",
            "{n} calls orders promised (visits confirmed, loans' reminders): paid as talk "
            "time and as calls, never as successes.",
            figures.kpis.follow_ups,
        ).format(n=figures.kpis.follow_ups)
        text.append(follow_ups + "\n", style="dim")
    return text


def _append_pay_lines(text: Text, pay: PayPreview, plan: PlanTerms, region: str) -> None:
    """The plan's lines, what the quality gate withheld, what was earned, and per hour."""
    result = pay.result
    currency = result.currency
    for line in result.lines:
        label = _component(line.component)
        quantity = line.quantity
        if line.component == "sales":
            quantity = amount(Decimal(line.quantity), region)
        text.append(f"{label:<32}{quantity:>12}{money_of(line.amount, currency, region):>18}\n")
    if result.withheld:
        qa = "—" if pay.figures.qa is None else percent(float(pay.figures.qa))
        gate = "" if plan.qa_gate is None else percent(float(plan.qa_gate))
        withheld = _("Withheld by the quality gate (QA {qa} < {gate})").format(qa=qa, gate=gate)
        text.append(
            f"{withheld:<44}{'-' + money_of(result.withheld, currency, region):>18}\n",
            style="bold red",
        )
    earned = money_of(result.total, currency, region)
    text.append(f"\n{_('Earned'):<44}{earned:>18}\n", style="bold")
    if result.per_hour is not None:
        per_hour = money_of(result.per_hour, currency, region)
        text.append(f"{_('Per paid hour'):<44}{per_hour:>18}\n")


def _component(code: str) -> str:
    return _(COMPONENT_LABELS[code]) if code in COMPONENT_LABELS else code


def _append_pay_notes(
    text: Text, pay: PayPreview, plan: PlanTerms, open_disputes: int, region: str
) -> None:
    """What is still to come: pending successes, two more sales, disputes waiting."""
    currency = pay.result.currency
    if pay.pending:
        pending = ngettext(
            "{n} success pending (its {days}-day window is open)",
            "{n} successes pending (their {days}-day window is open)",
            pay.pending,
        ).format(n=pay.pending, days=plan.hold_days)
        text.append(f"{pending}\n", style="yellow")
    if not pay.closed:
        more = _("What if: two more sales at your average: +{amount}").format(
            amount=money_of(pay.two_more_sales, currency, region)
        )
        if pay.result.top_up:
            more += " " + _("(the hourly floor tops you up still)")
        text.append(more + "\n", style="cyan")
    if open_disputes:
        text.append(
            ngettext(
                "{n} dispute waits for a team lead; pay counts it once accepted.",
                "{n} disputes wait for a team lead; pay counts them once accepted.",
                open_disputes,
            ).format(n=open_disputes)
            + "\n",
            style="yellow",
        )


def claim_row(item: ReconciledItem, zone: ZoneInfo, region: str) -> tuple[Text | str, ...]:
    claim, record = item.claim, item.record
    claimed = ""
    if claim is not None:
        claimed = success_label(claim.kind)
        if claim.amount_minor:
            claimed = money(claim.amount_minor, "CZK", region)
    recorded = ""
    if record is not None:
        recorded = record.label
        if record.amount_minor:
            recorded = money(record.amount_minor, "CZK", region)
    decision = ""
    if claim is not None and claim.decision is not None:
        verdict = _("accepted") if claim.decision.accepted else _("rejected")
        decision = f"{verdict}: {claim.decision.note}"
    elif item.disputed:
        decision = _("waits for a team lead")
    kind = (record or claim).kind if (record or claim) else ""  # type: ignore[union-attr]
    return (
        local_time(item.at, zone, "%d.%m. %H:%M"),
        Text(_(CLASS_LABELS[item.cls]), style=CLASS_STYLES[item.cls]),
        success_label(kind),
        claimed,
        recorded,
        decision,
    )


def evaluation_row(evaluation: EvaluationView, zone: ZoneInfo) -> tuple[Text | str, ...]:
    score = Text(percent(evaluation.score), style="bold red" if evaluation.auto_failed else "")
    return (
        local_time(evaluation.call_started_at, zone, "%d.%m. %H:%M"),
        evaluation.form_name,
        score,
        evaluation.evaluator,
        evaluation.note,
    )


def evaluation_text(evaluation: EvaluationView) -> Text:
    text = Text()
    for question, answer in evaluation.answers:
        mark = {"yes": "✓", "no": "✗", "na": "–"}[answer]
        critical = "!" if question.critical else " "
        style = "bold red" if answer == "no" and question.critical else ""
        text.append(f"{mark} {question.weight}{critical} {question.text}\n", style=style)
    if evaluation.auto_failed:
        text.append(
            _("A critical question failed: the call scores 0 and its success does not count."),
            style="bold red",
        )
    return text


def _count(value: float) -> str:
    return str(int(value))


def _rate(value: float) -> str:
    return number(round(value, 1))


def _duration(value: float) -> str:
    return spoken_duration(int(value))


def _trend(value: float | None, previous: float | None, higher_is_better: bool) -> Text:
    if value is None or previous is None or value == previous:
        return Text("=", style="dim")
    better = value > previous if higher_is_better else value < previous
    arrow = "▲" if value > previous else "▼"
    return Text(
        arrow + (" " + _("better") if better else " " + _("worse")),
        style="green" if better else "bold red",
    )


def comparison(now: Kpis, before: Kpis) -> list[tuple[str, float | None]]:
    def ratio(value: float | None, previous: float | None) -> float | None:
        if value is None or not previous:
            return None
        return 100 * value / previous

    return [
        (_("calls"), ratio(now.handled, before.handled)),
        (_("successes"), ratio(now.successes, before.successes)),
        (_("sales"), ratio(now.sales_minor, before.sales_minor)),
        (_("QA"), ratio(now.qa, before.qa)),
        (_("speed (1/AHT)"), ratio(before.aht_seconds, now.aht_seconds)),
    ]
