"""Headless chromium from the distribution, driven by Selenium through the packaged
chromedriver (no download: ``Service(executable_path=...)``), and what the tests wait for
in the widget."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 30.0  # seconds at most for a state; a loaded 2-core machine is slow


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    driver_path = shutil.which("chromedriver")
    browser_path = shutil.which("chromium")
    assert driver_path and browser_path, "scripts/system-deps installs chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1024,900")
    browser = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def wait_for(browser: webdriver.Chrome, css: str, text: str | None = None) -> WebElement:
    """The first element matching ``css`` that is shown (and holds ``text``, if given)."""

    def found(driver: webdriver.Chrome) -> WebElement | bool:
        for element in driver.find_elements(By.CSS_SELECTOR, css):
            if element.is_displayed() and (text is None or text in element.text):
                return element
        return False

    return WebDriverWait(browser, WAIT).until(found, f"{css} {text or ''} not shown")


def texts(browser: webdriver.Chrome, css: str) -> list[str]:
    return [element.text for element in browser.find_elements(By.CSS_SELECTOR, css)]


def fill_pre_chat_form(browser: webdriver.Chrome, name: str, contact: str) -> None:
    browser.find_element(By.ID, "cc-chat-open").click()
    wait_for(browser, "#cc-chat-name").send_keys(name)
    browser.find_element(By.ID, "cc-chat-contact").send_keys(contact)
    browser.find_element(By.ID, "cc-chat-consent").click()
    browser.find_element(By.ID, "cc-chat-start").click()


def say(browser: webdriver.Chrome, text: str) -> None:
    field = wait_for(browser, "#cc-chat-input")
    field.send_keys(text)
    browser.find_element(By.ID, "cc-chat-send").click()
