"""The store goes away under a running gateway (PostgreSQL refuses every connection to the
database and drops those open): /health says so (503), a visitor is told to try again in a
moment, and when the store is back the gateway serves again, never having stopped. In the
browser, a message typed meanwhile waits and is stored once when the store is back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation
from tests.channels.chat.browser import chromium, fill_pre_chat_form, say, wait_for
from tests.channels.chat.operator_side import seen_by, the_conversation
from tests.channels.chat.process import GatewayProcess

pytestmark = pytest.mark.postgres
TERMINATE = text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n")


@pytest.fixture
def db_url(pg_url: str) -> str:
    return pg_url


def wait_health(gateway: GatewayProcess, wanted: tuple[int, object]) -> None:
    deadline = time.monotonic() + 30
    while gateway.health() != wanted:
        assert time.monotonic() < deadline, gateway.health()
        time.sleep(0.05)


@pytest.fixture
def store_switch(db_url: str) -> Iterator[Callable[[bool], None]]:
    name = make_url(db_url).database
    admin = create_engine(make_url(db_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def switch(on: bool) -> None:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(on).lower()}'))
            if not on:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                    ),
                    {"n": name},
                )

    try:
        yield switch
    finally:
        switch(True)
        admin.dispose()


def test_the_gateway_outlives_its_store(
    chat_gateway: GatewayProcess, store_switch: Callable[[bool], None]
) -> None:
    with chat_gateway.visitor() as visitor:
        store_switch(False)
        wait_health(chat_gateway, (503, {"ok": False, "db": False}))
        visitor.send(
            type="start",
            form={
                "name": "Eva",
                "contact": "eva@example.cz",
                "topic": "",
                "consent": True,
                "language": "en",
            },
        )
        assert visitor.until("error")["field"] == "store"
        store_switch(True)
        wait_health(chat_gateway, (200, {"ok": True, "db": True}))
        assert visitor.start()["token"]


@pytest.mark.browser
def test_a_message_typed_while_the_store_is_away_is_stored_once_it_is_back(
    chat_gateway: GatewayProcess,
    store_switch: Callable[[bool], None],
    ws: Workstation,
    someone_answers: Actor,
) -> None:
    own = "#cc-chat-log li.cc-visitor"
    with chromium() as browser:
        browser.get(chat_gateway.origin + "/")
        fill_pre_chat_form(browser, "Eva Malá", "eva@example.cz")
        wait_for(browser, "#cc-chat-input")
        store_switch(False)
        wait_health(chat_gateway, (503, {"ok": False, "db": False}))
        say(browser, "Typed while the store was away")
        wait_for(browser, f"{own}[data-mark=waiting]", "Typed while the store was away")
        store_switch(True)
        wait_for(browser, f"{own}[data-seq]", "Typed while the store was away")
        assert browser.find_elements(By.CSS_SELECTOR, f"{own}.cc-failed") == []
    seen = seen_by(ws, someone_answers, the_conversation(ws))
    visitor_lines = [text for author, text in seen if author == "visitor"]
    assert visitor_lines == ["Typed while the store was away"]
