"""A week's roster solved with OR-Tools CP-SAT (imported only when solving).

Hard rules (TALLY_PAY_ROSTER.md, Roster constraints): the fewest heads of every day's
shift, approved days off, one shift a day, no late shift followed by an early one (11 h of
rest), each operator's contract days, at most so many days in a row, pinned cells. Soft:
the pending and waitlisted requests (by priority), not both weekend days (more so for
whoever had fewer weekends off lately), no more cover than needed.

Every hard rule is guarded by a literal, so when a request cannot be granted, or the week
cannot be rostered at all, the solver's infeasible core names the rule that binds.

A week solves the same way every time: one worker, a fixed seed, and a budget of CP-SAT's
deterministic time (a count of the work done), never the wall clock, which stopped the
search earlier on a loaded machine and granted fewer requests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from cc_terminal.i18n import _, ngettext
from cc_terminal.models.roster import Shift
from cc_terminal.services.rostering.roster_terms import (
    SHIFTS,
    Solution,
    Week,
    Wish,
    day_name,
    shift_label,
    solution_line,
)

WISH_WEIGHT = {1: 400, 2: 200, 3: 100}  # a request outweighs every fairness cost
WAITLISTED_EXTRA = 20
WEEKEND_WEIGHT = 8
EXCESS_WEIGHT = 1
RECENT_WEEKENDS = 4  # weekends off over the last weeks that count as a fair share


def solve(week: Week, progress: Callable[[str], None] | None = None) -> Solution:
    problems = _impossible_needs(week)
    if problems:
        return Solution(False, {}, frozenset(), {}, tuple(problems))
    model = _Model(week)
    values, objective, optimal = model.solve(progress)
    if values is None:
        return Solution(False, {}, frozenset(), {}, tuple(model.core_reasons()), 0.0, False)
    open_wishes = [wish for wish in week.wishes if not wish.approved]
    granted = {wish.request_id for wish in open_wishes if not _works(values, wish)}
    kept = [wish for wish in open_wishes if wish.request_id in granted]
    denied = {
        wish.request_id: model.why_denied(wish, kept)
        for wish in open_wishes
        if wish.request_id not in granted
    }
    return Solution(True, values, frozenset(granted), denied, (), objective, optimal)


def greedy(week: Week) -> frozenset[uuid.UUID]:
    """The baseline a person would do by hand: requests by priority, each granted while
    every shift it touches keeps its heads and the operator can still work their days."""
    off_days: dict[uuid.UUID, set[date]] = {p.id: set() for p in week.people}
    gone: dict[tuple[date, str], int] = {}
    for wish in week.wishes:
        if wish.approved:
            _take(wish, off_days, gone)
    granted = set()
    people = {p.id: p for p in week.people}
    for wish in sorted((w for w in week.wishes if not w.approved), key=lambda w: w.priority):
        person = people[wish.operator_id]
        days_left = len(week.days) - len(off_days[wish.operator_id] | {wish.day})
        if days_left < person.contract_days:
            continue
        fits = all(
            len(week.people) - gone.get((wish.day, shift), 0) - 1
            >= week.needs.get((wish.day, shift), 0)
            for shift in _shifts_of(wish)
        )
        # One shift a day each: the day's people must cover both shifts' needs together.
        whole_day_off = sum(1 for days in off_days.values() if wish.day in days)
        day_need = sum(week.needs.get((wish.day, s.value), 0) for s in SHIFTS)
        fits = fits and len(week.people) - whole_day_off - (0 if wish.shift else 1) >= day_need
        if fits:
            granted.add(wish.request_id)
            _take(wish, off_days, gone)
    return frozenset(granted)


def _take(
    wish: Wish, off_days: dict[uuid.UUID, set[date]], gone: dict[tuple[date, str], int]
) -> None:
    if not wish.shift:
        off_days[wish.operator_id].add(wish.day)
    for shift in _shifts_of(wish):
        gone[(wish.day, shift)] = gone.get((wish.day, shift), 0) + 1


def _shifts_of(wish: Wish) -> tuple[str, ...]:
    return (wish.shift,) if wish.shift else tuple(s.value for s in SHIFTS)


def _works(values: dict[tuple[uuid.UUID, date], str], wish: Wish) -> bool:
    worked = values.get((wish.operator_id, wish.day), "")
    return bool(worked) and (not wish.shift or worked == wish.shift)


def _impossible_needs(week: Week) -> list[str]:
    """A minimum above the heads that could work it at all, named by day and shift."""
    problems = []
    for (day, shift), need in sorted(week.needs.items()):
        free = [
            p
            for p in week.people
            if not any(
                w.approved and w.operator_id == p.id and w.day == day and w.shift in ("", shift)
                for w in week.wishes
            )
        ]
        if need > len(free):
            problems.append(
                ngettext(
                    "{day} {shift} needs {need} head; only {free} can work it.",
                    "{day} {shift} needs {need} heads; only {free} can work it.",
                    need,
                ).format(day=day_name(day), shift=shift_label(shift), need=need, free=len(free))
            )
    return problems


class _Model:
    def __init__(self, week: Week) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.week = week
        self.model = cp_model.CpModel()
        self.work: dict[tuple[uuid.UUID, date, str], Any] = {}
        self.guards: dict[int, str] = {}  # guard literal index -> the rule, in words
        self.guard_lits: list[Any] = []
        self.kept: set[uuid.UUID] = set()  # the requests granted, while one is explained
        self._build()

    def _guard(self, reason: str) -> Any:
        literal = self.model.new_bool_var(reason[:40])
        self.guards[literal.index] = reason
        self.guard_lits.append(literal)
        return literal

    def _build(self) -> None:
        week, m = self.week, self.model
        for person in week.people:
            for day in week.days:
                for shift in SHIFTS:
                    self.work[(person.id, day, shift.value)] = m.new_bool_var("")
                m.add(sum(self._day(person.id, day)) <= 1)
        self._cover()
        self._approved()
        self._rest_and_runs()
        self._contracts()
        self._pins()
        self._objective()

    def _day(self, operator: uuid.UUID, day: date) -> list[Any]:
        return [self.work[(operator, day, shift.value)] for shift in SHIFTS]

    def _cover(self) -> None:
        for (day, shift), need in self.week.needs.items():
            if need <= 0:
                continue
            guard = self._guard(f"cover|{day.isoformat()}|{shift}")
            heads = sum(self.work[(p.id, day, shift)] for p in self.week.people)
            self.model.add(heads >= need).only_enforce_if(guard)

    def _approved(self) -> None:
        for wish in self.week.wishes:
            if not wish.approved:
                continue
            guard = self._guard(f"approved|{wish.request_id}")
            for shift in _shifts_of(wish):
                self.model.add(self.work[(wish.operator_id, wish.day, shift)] == 0).only_enforce_if(
                    guard
                )

    def _rest_and_runs(self) -> None:
        week = self.week
        for person in week.people:
            guard = self._guard(f"rest|{person.id}")
            for today, tomorrow in zip(week.days, week.days[1:], strict=False):
                late = self.work[(person.id, today, Shift.LATE.value)]
                early = self.work[(person.id, tomorrow, Shift.EARLY.value)]
                self.model.add(late + early <= 1).only_enforce_if(guard)
            run = week.max_consecutive + 1
            if run <= len(week.days):
                guard = self._guard(f"run|{person.id}")
                for start in range(len(week.days) - run + 1):
                    days = week.days[start : start + run]
                    worked = sum(sum(self._day(person.id, day)) for day in days)
                    self.model.add(worked <= week.max_consecutive).only_enforce_if(guard)

    def _contracts(self) -> None:
        for person in self.week.people:
            guard = self._guard(f"contract|{person.id}")
            worked = sum(sum(self._day(person.id, day)) for day in self.week.days)
            self.model.add(
                worked == min(person.contract_days, len(self.week.days))
            ).only_enforce_if(guard)

    def _pins(self) -> None:
        for (operator, day), shift in self.week.pinned.items():
            if (operator, day, Shift.EARLY.value) not in self.work:
                continue
            guard = self._guard(f"pin|{operator}|{day.isoformat()}")
            for one in SHIFTS:
                self.model.add(
                    self.work[(operator, day, one.value)] == int(one.value == shift)
                ).only_enforce_if(guard)

    def _objective(self) -> None:
        week, m = self.week, self.model
        terms: list[Any] = []
        for wish in week.wishes:
            if wish.approved:
                continue
            weight = WISH_WEIGHT.get(wish.priority, 100) + (
                WAITLISTED_EXTRA if wish.waitlisted else 0
            )
            works = m.new_bool_var("")
            m.add_max_equality(
                works, [self.work[(wish.operator_id, wish.day, s)] for s in _shifts_of(wish)]
            )
            terms.append(weight * works)
        weekend = [day for day in week.days if day.weekday() >= 5]
        if len(weekend) == 2:
            for person in week.people:
                both = m.new_bool_var("")
                saturday, sunday = (sum(self._day(person.id, day)) for day in weekend)
                m.add(saturday + sunday - 1 <= both)
                owed = max(0, RECENT_WEEKENDS - person.weekends_off)
                terms.append((WEEKEND_WEIGHT + 2 * owed) * both)
        for (day, shift), need in week.needs.items():
            heads = sum(self.work[(p.id, day, shift)] for p in week.people)
            excess = m.new_int_var(0, len(week.people), "")
            m.add(excess >= heads - need)
            terms.append(EXCESS_WEIGHT * excess)
        m.minimize(sum(terms))

    def _solver(self) -> Any:
        solver = self.cp_model.CpSolver()
        solver.parameters.random_seed = self.week.seed
        solver.parameters.num_workers = 1  # one search: its steps repeat
        solver.parameters.max_deterministic_time = self.week.budget  # no wall-clock limit
        return solver

    def solve(
        self, progress: Callable[[str], None] | None
    ) -> tuple[dict[tuple[uuid.UUID, date], str] | None, float, bool]:
        from ortools.sat.python import cp_model

        model = self.model.clone()
        for literal in self.guard_lits:
            model.add(model.get_bool_var_from_proto_index(literal.index) == 1)
        solver = self._solver()

        class Reporter(cp_model.CpSolverSolutionCallback):
            def __init__(self) -> None:
                super().__init__()
                self.found = 0

            def on_solution_callback(self) -> None:
                self.found += 1
                if progress is not None:
                    progress(solution_line(self.found, round(self.objective_value)))

        status = solver.solve(model, Reporter())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, 0.0, False
        values: dict[tuple[uuid.UUID, date], str] = {}
        for person in self.week.people:
            for day in self.week.days:
                worked = [
                    s.value for s in SHIFTS if solver.value(self.work[(person.id, day, s.value)])
                ]
                values[(person.id, day)] = worked[0] if worked else ""
        objective = float(solver.objective_value)
        return values, objective, status == cp_model.OPTIMAL

    def core_reasons(self) -> list[str]:
        """The rules that cannot all hold, found as an infeasible core of the guards."""
        return [self._say(rule) for rule in self._core([])] or [
            _("The rules cannot all hold this week.")
        ]

    def why_denied(self, wish: Wish, granted: list[Wish]) -> str:
        """The hard rule that stops this request, with the requests granted kept granted."""
        self.kept = {one.request_id for one in granted}
        forced = [
            (self.work[(one.operator_id, one.day, s)], 0)
            for one in (wish, *granted)
            for s in _shifts_of(one)
        ]
        rules = self._core(forced)
        if not rules:
            return _(
                "Granting it breaks no hard rule; the other requests weighed more (soft rules)."
            )
        covers = sorted(
            (rule for rule in rules if rule.startswith("cover|")),
            key=lambda rule: self._shortfall(rule, wish),
        )
        return self._say((covers or rules)[0], wish)

    def _shortfall(self, rule: str, wish: Wish | None) -> tuple[int, int]:
        """How far a shift's cover falls short (most first), then the bigger need first."""
        _kind, day_text, shift = rule.split("|")
        day = date.fromisoformat(day_text)
        need = self.week.needs[(day, shift)]
        return self._able(day, shift, wish) - need, -need

    def _core(self, forced: list[tuple[Any, int]]) -> list[str]:
        """Solve again with the guards as assumptions (and ``forced`` values); the guards
        of an infeasible core, in words."""
        cp_model = self.cp_model
        model = self.model.clone()
        model.clear_objective()
        for variable, value in forced:
            model.add(model.get_bool_var_from_proto_index(variable.index) == value)
        model.add_assumptions(
            [model.get_bool_var_from_proto_index(lit.index) for lit in self.guard_lits]
        )
        solver = self._solver()
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return []
        core = solver.sufficient_assumptions_for_infeasibility()
        return [self.guards[index] for index in core if index in self.guards]

    def _say(self, rule: str, wish: Wish | None = None) -> str:
        kind, *parts = rule.split("|")
        names = {str(p.id): p.name for p in self.week.people}
        if kind == "cover":
            day, shift = date.fromisoformat(parts[0]), parts[1]
            need = self.week.needs[(day, shift)]
            able = self._able(day, shift, wish)
            words = {"day": day_name(day), "shift": shift_label(shift), "need": need}
            if able < need:
                return _("{day} {shift} cover would be {able} < {need}").format(able=able, **words)
            return ngettext(
                "{day} {shift} could not keep {need} head with the other rules",
                "{day} {shift} could not keep {need} heads with the other rules",
                need,
            ).format(**words)
        if kind == "contract":
            person = next(p for p in self.week.people if str(p.id) == parts[0])
            return ngettext(
                "{name} works {n} day a week; this leaves fewer",
                "{name} works {n} days a week; this leaves fewer",
                person.contract_days,
            ).format(name=person.name, n=person.contract_days)
        if kind == "rest":
            return _("{name} would have a late shift before an early one (11 h rest)").format(
                name=names.get(parts[0], "")
            )
        if kind == "run":
            return ngettext(
                "{name} would work more than {n} day in a row",
                "{name} would work more than {n} days in a row",
                self.week.max_consecutive,
            ).format(name=names.get(parts[0], ""), n=self.week.max_consecutive)
        if kind == "pin":
            return _("a cell pinned by hand ({name}, {day})").format(
                name=names.get(parts[0], ""), day=day_name(date.fromisoformat(parts[1]))
            )
        return _("an approved day off")

    def _able(self, day: date, shift: str, wish: Wish | None) -> int:
        """The most heads this shift could have if the wish were granted too: who is not
        off, less those the day's other shift needs (one shift a day each)."""
        off = {
            w.operator_id
            for w in self.week.wishes
            if (w.approved or w == wish or w.request_id in self.kept)
            and w.day == day
            and w.shift in ("", shift)
        }
        free = sum(1 for p in self.week.people if p.id not in off)
        others = sum(
            need
            for (other_day, other), need in self.week.needs.items()
            if other_day == day and other != shift
        )
        return max(0, free - others)
