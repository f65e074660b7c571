"""The live preview tells the editor why a body cannot be rendered, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.support.admin_forms import user_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_preview_says_why_it_refuses_a_body_and_renders_again_once_it_is_fixed(site, page):
    user_in("Contributors", "farid")
    page.goto(f"{site}/admin/login/?next=/admin/articles/article/add/")
    page.get_by_label("Username").fill("farid")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Title").fill("Definitions")
    page.get_by_label("Body").fill("a\n: b\n" * 500)
    expect(page.locator(".article-preview-meta")).to_contain_text(
        "The body has 500 definitions without blank lines between them"
    )
    page.get_by_label("Body").fill("Trucks crossed at **Torkham** again.")
    expect(page.locator(".article-preview-body strong")).to_have_text("Torkham")
