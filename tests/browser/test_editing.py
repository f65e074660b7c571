"""An editor at work in the admin, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.admin_forms import user_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_logs_in_and_publishes_an_article_that_shows_on_the_home_page(site, page):
    user_in("Editors", "amina")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Articles").first.click()
    page.get_by_role("link", name=re.compile("Add article")).click()
    page.get_by_label("Title").fill("Torkham crossing reopens after talks")
    page.get_by_label("Body").fill("## Queues\n\nTrucks crossed at **Torkham** again.")
    expect(page.locator(".article-preview-body strong")).to_have_text("Torkham")
    expect(page.locator(".article-preview-meta")).to_contain_text("names found: Torkham")
    page.get_by_label("Status").select_option("published")
    page.locator("#id_published_at_0").fill("2025-12-02")
    page.locator("#id_published_at_1").fill("09:30:00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(site)
    page.get_by_role("link", name="Torkham crossing reopens after talks").click()
    expect(page.get_by_role("heading", name="Queues")).to_be_visible()
    assert blocked == []
