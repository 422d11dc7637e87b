"""A pytest plugin for mutation runs: mutmut's copies of a method are not public methods.

mutmut 3 keeps each mutated method's original and its mutants on the class under names
such as ``xǁDaysOffǁ_own__mutmut_orig``, which do not start with "_". ``refusals_audited``
would take them for public methods and audit their refusals too: a private helper that
refuses inside a write (``DaysOff._own``) would then write its audit event while that write
holds SQLite's lock, and the run fails before any mutant is tried. Loaded before the tests
import the services, this plugin hides the copies from the decorator, so a class is
decorated as it is outside a mutation run.

It also forgets the statements built once (store/built.py) before every test: mutmut runs
every mutant's tests in a process forked after its first run, which built them with the
original code, and it runs for a mutant only the tests that called its function in that
first run: built once, a builder would be called by the first test that needed it alone.
"""

from __future__ import annotations

from typing import TypeVar

from cc_terminal.services.common import audit
from cc_terminal.store.built import forget_built

MUTANT_COPY = "__mutmut_"
ServiceClass = TypeVar("ServiceClass", bound=type)
_decorate = audit.refusals_audited


def refusals_audited(cls: ServiceClass) -> ServiceClass:
    copies = {name: member for name, member in vars(cls).items() if MUTANT_COPY in name}
    for name in copies:
        delattr(cls, name)
    try:
        return _decorate(cls)
    finally:
        for name, member in copies.items():
            setattr(cls, name, member)


audit.refusals_audited = refusals_audited


def pytest_runtest_setup() -> None:
    forget_built()
