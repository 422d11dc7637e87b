"""Erlang C: how many agents a call volume needs (TALLY_PAY_ROSTER.md, Erlang C).

Erlang B by its stable recursion, then the probability of waiting, the service level, the
average speed of answer; the smallest number of agents meeting the service level and the
occupancy cap, and the heads to schedule once shrinkage is counted."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ValidationFailed

MOST_AGENTS = 2000


@dataclass(frozen=True)
class Staffing:
    traffic: float  # Erlangs
    agents: int
    scheduled: int
    service_level: float
    wait_probability: float
    asa_seconds: float
    occupancy: float


@dataclass(frozen=True)
class Target:
    service_level: float = 0.8
    answer_seconds: float = 20
    occupancy_cap: float = 0.85
    shrinkage: float = 0.3


def wait_probability(traffic: float, agents: int) -> float:
    """Erlang C's P(wait) for ``agents`` > ``traffic``."""
    erlang_b = 1.0
    for k in range(1, agents + 1):
        erlang_b = traffic * erlang_b / (k + traffic * erlang_b)
    return agents * erlang_b / (agents - traffic * (1 - erlang_b))


def staffing(
    calls: float, aht_seconds: float, interval_seconds: float, target: Target = Target()
) -> Staffing:
    if calls < 0 or aht_seconds <= 0 or interval_seconds <= 0:
        raise ValidationFailed({"volume": _("Calls not below 0, handling time above 0.")})
    if not 0 < target.service_level < 1 or not 0 < target.occupancy_cap <= 1:
        raise ValidationFailed({"target": _("A service level and an occupancy cap of 0 to 100 %.")})
    if not 0 <= target.shrinkage < 1:
        raise ValidationFailed({"shrinkage": _("Shrinkage of 0 to 99 %.")})
    traffic = calls * aht_seconds / interval_seconds
    if traffic == 0:
        return Staffing(0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    agents = max(1, math.floor(traffic) + 1)
    while agents <= MOST_AGENTS:
        waiting = wait_probability(traffic, agents)
        level = 1 - waiting * math.exp(-(agents - traffic) * target.answer_seconds / aht_seconds)
        occupancy = traffic / agents
        if level >= target.service_level and occupancy <= target.occupancy_cap:
            asa = waiting * aht_seconds / (agents - traffic)
            scheduled = math.ceil(agents / (1 - target.shrinkage))
            return Staffing(traffic, agents, scheduled, level, waiting, asa, occupancy)
        agents += 1
    raise ValidationFailed(
        {"volume": _("More than {n} agents: check the volume.").format(n=MOST_AGENTS)}
    )
