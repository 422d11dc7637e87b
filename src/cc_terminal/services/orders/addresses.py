"""Finding an exact address in the imported register: the town, then the street (or the
part of a village without streets), then the house number as the caller says it, either
the popisné or the orientační (``9``, ``10a``, ``9/10a``, ``ev. 12``). Matching is
diacritics-blind ("namesti miru" finds "náměstí Míru") and forgives typos (RapidFuzz); a
number said without a letter is the point with that very number when there is one (3 is
1254/3, not 1255/3a); a number of the other series is offered to confirm (12 finds ev. 12);
a number that is not on the street is answered with the nearest ones that are. Towns of the
same name are told apart by their postal code."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Select, func, or_, select
from sqlmodel import col

from cc_terminal.folding import fold
from cc_terminal.i18n import _
from cc_terminal.models import AddressPoint, AddressStreet, AddressTown
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.store.database import Database

FUZZY_CUTOFF = 75
STREETS_TTL_SECONDS = 60
STREETS_KEPT = 8
SAID = re.compile(r"^(ev\.?)?\s*(\d{1,5})\s*(?:/\s*(\d{1,5})\s*([a-z])?)?\s*([a-z])?$")


@dataclass(frozen=True)
class Town:
    code: int
    name: str
    points: int
    # What tells it from another town of the same name in the same list: its postal code
    # (the register's files name no okres), and its code when even that is shared.
    area: str = ""


@dataclass(frozen=True)
class Street:
    key: str
    name: str  # the street, or the part of the municipality when it has no streets
    is_part: bool


@dataclass(frozen=True)
class Address:
    code: int
    municipality: str
    district: str
    part: str
    street: str
    registry_kind: str
    house_number: int
    orientation_number: int | None
    orientation_letter: str
    postal_code: str
    y: float | None
    x: float | None

    @property
    def number(self) -> str:
        house = (
            f"ev. {self.house_number}" if self.registry_kind == "č.ev." else str(self.house_number)
        )
        if self.orientation_number is None:
            return house
        return f"{house}/{self.orientation_number}{self.orientation_letter}"

    def text(self) -> str:
        """As it is written: ``U Elektrárny 9/10a, 170 00 Praha 7 - Holešovice``."""
        place = self.street or self.part
        town = self.district or self.municipality
        if self.part and self.part not in (town, self.municipality):
            town = f"{town} - {self.part}"
        return f"{place} {self.number}, {self.postal_code[:3]} {self.postal_code[3:]} {town}"


@dataclass(frozen=True)
class NumberCheck:
    points: tuple[Address, ...]  # the matching points, the number said first
    nearest: tuple[str, ...] = ()  # when none match: the numbers that are on the street
    # The points are of the other series than said (ev. 12 for 12, or 12 for ev. 12):
    # offered for the operator to confirm, never settled on their own.
    other_series: bool = False


class AddressBook:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._streets: dict[int, tuple[float, dict[str, Street]]] = {}

    def towns(self, typed: str, limit: int = 10) -> list[Town]:
        """Towns whose name starts with what was typed (biggest first), or close to it."""
        key = fold(typed)
        if not key:
            return []
        town = AddressTown
        query = (
            select(col(town.municipality_code), col(town.name), col(town.points))
            .where(col(town.town_key).startswith(key, autoescape=True))
            .order_by(col(town.points).desc(), col(town.name))
            .limit(limit)
        )
        with self.db.connect() as connection:
            found = [Town(*row) for row in connection.execute(query)]
            if found:
                return _told_apart(connection, found)
            every = connection.execute(
                select(
                    col(town.municipality_code),
                    col(town.name),
                    col(town.town_key),
                    col(town.points),
                )
            ).all()
        from rapidfuzz import fuzz, process  # loaded by the first miss: see search.py's near

        close = process.extract(
            key,
            [row[2] for row in every],
            scorer=fuzz.ratio,
            limit=limit,
            score_cutoff=FUZZY_CUTOFF,
        )
        close_towns = [Town(every[i][0], every[i][1], every[i][3]) for _k, _s, i in close]
        with self.db.connect() as connection:
            return _told_apart(connection, close_towns)

    def towns_named(self, names: list[str]) -> tuple[list[Town], dict[str, str]]:
        """Towns by their exact names (diacritics-blind) or register codes, for a team's
        area; a name several towns share, or one the register lacks, is reported."""
        found: list[Town] = []
        problems: dict[str, str] = {}
        with self.db.connect() as connection:
            for name in names:
                query = select(
                    col(AddressTown.municipality_code),
                    col(AddressTown.name),
                    col(AddressTown.points),
                )
                if name.isdigit():
                    query = query.where(col(AddressTown.municipality_code) == int(name))
                else:
                    query = query.where(col(AddressTown.town_key) == fold(name))
                matches = [Town(*row) for row in connection.execute(query)]
                if not matches:
                    problems[name] = _("{name} is not a town of the register.").format(name=name)
                elif len(matches) > 1:
                    codes = ", ".join(str(town.code) for town in matches)
                    problems[name] = _(
                        "Several towns are called {name}: write its code ({codes})."
                    ).format(name=name, codes=codes)
                else:
                    found.append(matches[0])
        return found, problems

    def town_names(self, codes: tuple[int, ...]) -> dict[int, str]:
        if not codes:
            return {}
        query = select(col(AddressTown.municipality_code), col(AddressTown.name)).where(
            col(AddressTown.municipality_code).in_(codes)
        )
        with self.db.connect() as connection:
            return {code: name for code, name in connection.execute(query)}

    def streets(self, municipality_code: int, typed: str, limit: int = 10) -> list[Street]:
        """The town's streets (or parts, in a village without streets) matching what was
        typed: every typed word begins a word of the name; else the closest names."""
        streets = self._streets_of(municipality_code)
        words = fold(typed).split()
        if not words:
            return list(streets.values())[:limit]
        starting = [
            street
            for key, street in streets.items()
            if all(any(part.startswith(word) for part in key.split()) for word in words)
        ]
        if starting:
            return starting[:limit]
        from rapidfuzz import fuzz, process  # loaded by the first miss: see search.py's near

        close = process.extract(
            " ".join(words),
            list(streets),
            scorer=fuzz.WRatio,
            limit=limit,
            score_cutoff=FUZZY_CUTOFF,
        )
        return [streets[key] for key, _score, _index in close]

    def forget(self) -> None:
        """The register was imported again: read the streets anew."""
        self._streets.clear()

    def _streets_of(self, municipality_code: int) -> dict[str, Street]:
        """A town's streets by key, kept for a minute: the operator types on in the same town."""
        now = time.monotonic()
        kept = self._streets.get(municipality_code)
        if kept is not None and now - kept[0] < STREETS_TTL_SECONDS:
            return kept[1]
        with self.db.connect() as connection:
            rows = connection.execute(
                select(
                    col(AddressStreet.street_key),
                    col(AddressStreet.name),
                    col(AddressStreet.is_part),
                )
                .where(col(AddressStreet.municipality_code) == municipality_code)
                .order_by(col(AddressStreet.street_key))
            ).all()
        streets = {key: Street(key, name, is_part) for key, name, is_part in rows}
        if len(self._streets) >= STREETS_KEPT:
            self._streets.pop(next(iter(self._streets)))
        self._streets[municipality_code] = (now, streets)
        return streets

    def point(self, code: int) -> Address | None:
        """One address point by its register code."""
        with self.db.read() as session:
            found = session.get(AddressPoint, code)
            return _address(found) if found is not None else None

    def check_number(self, municipality_code: int, street_key: str, said: str) -> NumberCheck:
        """The points with the number said (popisné or orientační), or the nearest numbers."""
        match = SAID.match(said.strip().lower())
        if match is None:
            raise ValidationFailed({"number": _("A house number: 9, 10a, 9/10a or ev. 12.")})
        evidence, first, second, second_letter, letter = match.groups()
        number = int(first)
        base = select(AddressPoint).where(
            col(AddressPoint.municipality_code) == municipality_code,
            col(AddressPoint.street_key) == street_key,
        )
        query = _said_query(base, number, None if second is None else int(second))
        wanted_letter = (letter if second is None else second_letter) or ""
        with self.db.read() as session:
            candidates = session.scalars(query).all()
            found = _matching(candidates, number, second is not None, wanted_letter, evidence)
            if found is not None:
                return found
            on_street = session.scalars(base).all()
        return NumberCheck((), _nearest(on_street, number))


def _said_query(
    base: Select[AddressPoint], number: int, second: int | None
) -> Select[AddressPoint]:
    """The street's points with both numbers said, or with the one number as either."""
    if second is not None:
        return base.where(
            col(AddressPoint.house_number) == number,
            col(AddressPoint.orientation_number) == second,
        )
    return base.where(
        or_(
            col(AddressPoint.house_number) == number,
            col(AddressPoint.orientation_number) == number,
        )
    )


def _matching(
    candidates: Sequence[AddressPoint], number: int, both: bool, letter: str, evidence: str | None
) -> NumberCheck | None:
    """The candidates that fit what was said, in the series said (popisné or evidenční)
    or else in the other one; None when none fits in either."""
    for other_series in (False, True):
        said_evidence = bool(evidence) != other_series
        points = [
            point for point in candidates if _fits(point, number, both, letter, said_evidence)
        ]
        if points:
            if not both and not letter:
                points = _exact(points, number)
            points.sort(key=lambda p: (p.orientation_number != number, p.house_number))
            return NumberCheck(
                tuple(_address(point) for point in points), other_series=other_series
            )
    return None


def _fits(point: AddressPoint, number: int, both: bool, letter: str, evidence: bool) -> bool:
    if evidence != (point.registry_kind == "č.ev."):
        return False
    if both or point.orientation_number == number:
        return (point.orientation_letter or "") == letter or (not letter and not both)
    return not letter  # a letter belongs to the orientační number only


def _exact(points: list[AddressPoint], number: int) -> list[AddressPoint]:
    """A number said without a letter is the point with that very number when there is
    one (3 is 1254/3, not 1255/3a too); the lettered ones only when none is exact."""
    exact = [
        point
        for point in points
        if point.house_number == number
        or (point.orientation_number == number and not point.orientation_letter)
    ]
    return exact or points


def _told_apart(connection: Connection, towns: list[Town]) -> list[Town]:
    """Towns of the same name in the list, each with its postal code (and its code
    when they share that too)."""
    names = Counter(town.name for town in towns)
    shared = [town.code for town in towns if names[town.name] > 1]
    if not shared:
        return towns
    postal: dict[int, Counter[str]] = defaultdict(Counter)
    for code, postal_code, count in connection.execute(
        select(col(AddressPoint.municipality_code), col(AddressPoint.postal_code), func.count())
        .where(col(AddressPoint.municipality_code).in_(shared))
        .group_by(col(AddressPoint.municipality_code), col(AddressPoint.postal_code))
    ):
        postal[code][postal_code] = count
    areas = {code: _postal_text(postal[code]) for code in shared}
    told = Counter((town.name, areas.get(town.code)) for town in towns)
    apart = []
    for town in towns:
        area = areas.get(town.code, "")
        if area and told[(town.name, area)] > 1:
            area = _("{postal}, code {code}").format(postal=area, code=town.code)
        elif not area and town.code in areas:
            area = _("code {code}").format(code=town.code)
        apart.append(replace(town, area=area))
    return apart


def _postal_text(postal: Counter[str]) -> str:
    """The town's most common postal code, written 273 01."""
    if not postal:
        return ""
    most = postal.most_common(1)[0][0]
    return f"{most[:3]} {most[3:]}"


def _nearest(points: Sequence[AddressPoint], number: int, count: int = 5) -> tuple[str, ...]:
    numbers = {(point.house_number, _house(point)) for point in points}
    numbers |= {
        (point.orientation_number, f"{point.orientation_number}{point.orientation_letter}")
        for point in points
        if point.orientation_number is not None
    }
    ordered = sorted(numbers, key=lambda item: (abs(item[0] - number), item[0], item[1]))
    return tuple(dict.fromkeys(text for _n, text in ordered))[:count]


def _house(point: AddressPoint) -> str:
    """The číslo domovní as written: ``12``, or ``ev. 12`` for a číslo evidenční."""
    prefix = "ev. " if point.registry_kind == "č.ev." else ""
    return f"{prefix}{point.house_number}"


def _address(point: AddressPoint) -> Address:
    return Address(
        point.code,
        point.municipality,
        point.district,
        point.part,
        point.street,
        point.registry_kind,
        point.house_number,
        point.orientation_number,
        point.orientation_letter,
        point.postal_code,
        point.y,
        point.x,
    )
