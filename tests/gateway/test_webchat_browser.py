"""The web chat in a real browser (Debian's Chromium driven by Playwright), keyboard only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.stack import Stack

pytestmark = pytest.mark.stack


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(stack.config.gateway_url + "/")
    yield page
    context.close()
    assert errors == [], f"browser errors (CSP violations included): {errors}"


def focus_by_tab(page: Any, selector: str, limit: int = 15) -> None:
    """Reach `selector` with the Tab key alone, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_resident_asks_with_the_keyboard_and_reads_the_answer(page: Any) -> None:
    log = page.locator('#transcript[role="log"]')
    assert log.get_attribute("aria-live") == "polite"
    assert "assistant de la mairie" in log.inner_text()  # welcome message

    focus_by_tab(page, "#message")
    page.keyboard.type("bonjour, vous etes ouverts a quelle heure ?")
    page.keyboard.press("Enter")
    page.locator(".message--resident", has_text="ouverts a quelle heure").wait_for()
    answer = page.locator(".message--bot", has_text="du lundi au vendredi")
    answer.wait_for(timeout=30_000)
    assert page.evaluate("document.activeElement.id") == "message"


def test_buttons_are_buttons_and_work_from_the_keyboard(page: Any) -> None:
    page.locator("#message").fill("/nlu_fallback")
    page.locator("#message").press("Enter")
    choices = page.locator('[role="group"] button.choice')
    choices.first.wait_for(timeout=30_000)
    assert choices.count() >= 3
    assert choices.evaluate_all("els => els.every(e => e.tagName === 'BUTTON')")

    choices.filter(has_text="Horaires de la mairie").focus()
    page.keyboard.press("Enter")
    page.locator(".message--resident", has_text="Horaires de la mairie").wait_for()
    page.locator(".message--bot", has_text="du lundi au vendredi").wait_for(timeout=30_000)
    assert choices.first.is_disabled()


def test_a_resident_reports_a_pothole_with_the_position_and_a_photo(
    browser: Any, stack: Stack, tmp_path: Path
) -> None:
    import io

    from PIL import Image

    photo = tmp_path / "trou.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (90, 90, 90)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    context = browser.new_context(
        locale="fr-FR",
        geolocation={"latitude": 48.8511, "longitude": 2.3922},
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(stack.config.gateway_url + "/")
        page.locator("#message").fill("il y a un gros trou dans la chaussée")
        page.locator("#message").press("Enter")
        page.locator(".message--bot", has_text="Où se trouve").wait_for(timeout=30_000)
        page.locator("#locate").click()
        page.locator(".message--resident", has_text="Position partagée").wait_for()
        page.locator(".message--bot", has_text="photo").last.wait_for(timeout=30_000)
        page.locator("#photo").set_input_files(str(photo))
        summary = page.locator(".message--bot", has_text="avec une photo")
        summary.wait_for(timeout=30_000)
        assert "près de la position partagée" in summary.inner_text()
        page.locator('[role="group"] button.choice', has_text="Oui, envoyer").click()
        page.locator(".message--bot", has_text="SIG-").wait_for(timeout=30_000)
    finally:
        context.close()
    assert errors == []
