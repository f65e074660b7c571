"""The API's documentation page in a browser: Swagger UI, served by the project, works
under the site's Content Security Policy, and a reader can try an operation from it."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documentation_page_works_under_the_content_security_policy(site, page):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/api/v1/docs/")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() == 12
    assert page.get_by_text("OAS 3.1").is_visible()

    operations.filter(has_text="/api/v1/articles").first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table tbody .response")
    answer.wait_for()
    assert answer.locator(".response-col_status").inner_text().strip() == "200"
    assert "Border clashes with Pakistan" in answer.inner_text()

    assert not problems, problems
    assert all(url.startswith(site) for url in requested), requested
