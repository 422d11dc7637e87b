"""No worker fails without a word: an unexpected error in any screen's, dialog's or
widget's worker is said on screen by its type and logged with its traceback (never its
text), and the screen goes on; the month's payroll XLSX is written from the team view."""

import importlib
import inspect
import logging
import pkgutil

import pytest
from openpyxl import load_workbook
from textual.dom import DOMNode

import cc_terminal.screens
import cc_terminal.widgets
from cc_terminal.screens.tally.dialogs import ExportForm
from cc_terminal.session_log import LOGGER
from cc_terminal.widgets.worker_failures import ReportsWorkerFailures
from tests.tally.tally_floor import set_up_tally
from tests.tui import SIZE, make_app, settle, sign_in

PERSONAL = "Jana Nováková +420601123456"  # an error's text: said nowhere, never logged


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


@pytest.fixture
def logged():
    """What the workstation's log receives during the test."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def shown(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def open_payroll_export(pilot, month_steps: int = 0) -> ExportForm:
    await settle(pilot)
    set_up_tally(pilot.app.require_services(), pilot.app.clock)
    await sign_in(pilot, "lead")
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("m", *["right_square_bracket"] * month_steps, "6")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ExportForm)
    return pilot.app.screen


async def test_the_december_payroll_xlsx_is_written_into_a_new_private_folder(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_payroll_export(pilot, month_steps=1)
        assert form.period.label() == "12/2026"
        folder = tmp_path / "exports"
        assert not folder.exists()
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = folder / "pay-2026-12-01-2026-12-31.xlsx"
        assert not isinstance(app.screen, ExportForm), shown(app)
        assert any("operators exported to" in message for message in shown(app))
        assert folder.stat().st_mode & 0o777 == 0o700
        assert load_workbook(written).sheetnames[0] == "Pay 12-2026"


async def test_an_unexpected_error_in_a_worker_is_said_and_logged_and_the_screen_goes_on(
    app, logged, monkeypatch
):
    async with app.run_test(size=SIZE) as pilot:
        form = await open_payroll_export(pilot)

        def broken(*args, **kwargs):
            raise RuntimeError(PERSONAL)

        monkeypatch.setattr(app.require_services().tally_export, "export", broken)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and app.is_running  # what was typed is still there
        assert any("Something went wrong: RuntimeError" in message for message in shown(app))
        assert not any("Nováková" in message for message in shown(app))
        (record,) = [r for r in logged if r.levelno == logging.ERROR]
        line = record.getMessage()
        assert "worker" in line and "RuntimeError" in line and "in broken" in line
        assert "Nováková" not in line and "601123456" not in line


def test_every_screen_dialog_and_widget_that_runs_workers_reports_their_failures():
    running = []
    for package in (cc_terminal.screens, cc_terminal.widgets):
        for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(found.name)
            for cls in vars(module).values():
                if not (inspect.isclass(cls) and issubclass(cls, DOMNode)):
                    continue
                if cls.__module__ != module.__name__:
                    continue
                source = inspect.getsource(cls)
                if "@work" in source or "run_worker" in source:
                    running.append(cls)
    assert len(running) > 20
    assert [cls.__name__ for cls in running if not issubclass(cls, ReportsWorkerFailures)] == []
