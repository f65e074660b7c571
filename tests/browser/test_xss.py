"""Cross-site scripting in a real browser: the payload corpus, imported and posted through
the admin (tests/support/xss/archive.py), and Chromium loading the pages that show it — the home
pages, lists and every article; the entities, searches, suggestions and admin pages that
between them show every payload in every field (tests/security/test_xss.py checks all of those
pages' markup) — and using the widgets that write hostile data into the page: search
suggestions, the admin's tag autocomplete and live preview. It watches for script that
runs (a dialog, a call to alert/confirm/prompt/print), for injected elements, handlers and
script URLs, for requests leaving the site and for any sign in the console.

Pages are loaded under the site's Content Security Policy, where an injection the escaping
missed shows as a CSP report in the console; the pages that insert HTML rather than
escaped text are loaded again with the policy bypassed, where it would run: so escaping
and sanitising are proven on their own, not only behind the policy.
"""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.xss.archive import build_hostile_archive
from tests.support.xss.bounds import bounded_statements
from tests.support.xss.corpus import as_markdown, chunks, payloads

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of each page and frame: records every call a payload would make.
TRAP = """(() => {
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const record = (...args) => window.__xss.push(`${name}(${args.join(",")})`);
    try {
      Object.defineProperty(window, name, {value: record, writable: false, configurable: false});
    } catch (error) {}
  }
})();"""

# What must not be in the page once it has been parsed (and its own scripts have run).
INJECTED = """(admin) => {
  const found = [];
  const show = (el) => el.outerHTML.slice(0, 140);
  const forbidden = ["script:not([src])", "iframe", "frame", "object", "embed", "base",
    "meta[http-equiv]", "style", "math", "template", "noscript", "video", "audio", "portal",
    "link:not([rel=stylesheet]):not([rel=icon]):not([rel=canonical]):not([rel=alternate])"];
  // The maps the server draws are SVG; nothing in them may run or embed anything.
  if (!admin) forbidden.push("svg:not(.map-svg)", ".map-svg foreignObject", ".map-svg image",
    ".map-svg use", ".map-svg animate", ".map-svg set", ".map-svg script");
  for (const el of document.querySelectorAll(forbidden.join(","))) {
    if (el.tagName === "SCRIPT" && ["application/json", "application/ld+json"].includes(el.type))
      continue;
    found.push(`element ${show(el)}`);
  }
  const safe = new Set(["http:", "https:", "mailto:"]);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`handler ${name} on ${show(el)}`);
      if (name === "srcdoc") found.push(`srcdoc on ${show(el)}`);
      if (name === "style" && !admin) found.push(`style on ${show(el)}`);
      if (name === "href" && el.tagName.toLowerCase() === "use" && !attr.value.startsWith("#"))
        found.push(`use outside the page: ${show(el)}`);
    }
    for (const property of ["href", "src", "action", "formAction", "data"]) {
      const value = el[property];
      if (typeof value !== "string" || !value) continue;
      let protocol;
      try { protocol = new URL(value, location.href).protocol; } catch (error) { continue; }
      if (!safe.has(protocol)) found.push(`${protocol} URL in ${property} of ${show(el)}`);
    }
  }
  for (const script of document.querySelectorAll("script[src]")) {
    if (new URL(script.src).origin !== location.origin) found.push(`script from ${script.src}`);
  }
  if (window.__xss.length) found.push(`script ran: ${window.__xss.join("; ")}`);
  return found;
}"""
SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
# Console messages that are no sign of script: images the hostile Markdown points at that do
# not exist here, or that the policy keeps from loading.
HARMLESS_CONSOLE = ("Failed to load resource", "Refused to load the image")


class Watch:
    """One browser context, watched: dialogs, console, page errors, requests leaving."""

    def __init__(self, browser, site: str, *, bypass_csp: bool = False, cookies=()):
        self.site = urlsplit(site).netloc
        self.context = browser.new_context(bypass_csp=bypass_csp)
        self.context.add_init_script(TRAP)
        if cookies:
            self.context.add_cookies(list(cookies))
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.signs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.signs.append(f"page error: {error}"))
        self.pages = 0

    def _route(self, route):
        """Requests stay on the site; images are not fetched at all (the hostile Markdown
        points many at addresses that do not exist: an error handler, if one had been
        injected, would fire all the same)."""
        request = route.request
        if request.resource_type == "image":
            route.abort()
        elif urlsplit(request.url).netloc == self.site:
            route.continue_()
        else:
            self.signs.append(f"{request.resource_type} request to {request.url}")
            route.abort()

    def _dialog(self, dialog):
        self.signs.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type in {"error", "warning"} and not message.text.startswith(HARMLESS_CONSOLE):
            self.signs.append(f"console {message.type}: {message.text[:200]}")

    def visit(self, url: str, *, admin: bool = False) -> list[str]:
        """Loads ``url``; every sign of script on the page, or since the last visit."""
        response = self.page.goto(url)
        self.pages += 1
        found = [] if response and response.status == 200 else [f"status {response.status}"]
        self.page.evaluate(SETTLE)
        found += self.page.evaluate(INJECTED, admin) + self.signs
        self.signs = []
        return found

    def check(self, *, admin: bool = False) -> list[str]:
        """Every sign of script on the page as it is now (after an interaction)."""
        self.page.evaluate(SETTLE)
        found = self.page.evaluate(INJECTED, admin) + self.signs
        self.signs = []
        return found

    def close(self):
        self.context.close()


def tour(watch: Watch, site: str, paths: list[str], *, admin: bool = False) -> dict:
    problems = {}
    for path in paths:
        if found := watch.visit(site + path, admin=admin):
            problems[path] = found
    return problems


def test_no_payload_runs_script_in_a_real_browser(live_server, browser, tmp_path):
    started = time.monotonic()
    site = live_server.url
    with bounded_statements():
        archive = build_hostile_archive(tmp_path)
        built = time.monotonic() - started
        report = [f"{len(payloads())} payloads, archive built in {built:.1f} s"]
        editor = Client()
        editor.force_login(archive.editor)
        session = {"name": "sessionid", "value": editor.cookies["sessionid"].value, "url": site}
        problems = {}
        assert_the_watch_sees_a_planted_injection(browser, site)

        def timed(label: str, watch: Watch, visit) -> None:
            begun = time.monotonic()
            problems.update(visit(watch))
            watch.close()
            report.append(f"{watch.pages} {label} in {time.monotonic() - begun:.1f} s")

        # Under the policy: a missed injection shows as an element, a handler, a script URL
        # or a CSP report in the console.
        # Feeds and the sitemap are XML, which Chromium shows in its own viewer (with its
        # own style element); tests/security/test_xss.py checks them as served.
        # Exports and citations are files to download, which Chromium saves rather than shows;
        # the API's documentation page (Swagger UI and its own icons) shows the schema, no
        # row of the archive.
        public = [
            url
            for url in archive.public_urls(sample=True)
            if not urlsplit(url).path.endswith(("/feed/", ".xml", ".csv", ".jsonl", ".bib", ".ris"))
            and "/cite." not in url
            and url != reverse("api:docs")
        ]
        timed(
            "public pages and answers",
            Watch(browser, site),
            lambda w: tour(w, site, public) | interact_with_search_suggestions(w, site),
        )
        # Without the policy, the pages that insert HTML rather than escaped text (rendered
        # Markdown, highlighted snippets): a missed injection would run.
        markup = [
            a.get_absolute_url() for a in archive.articles if a.slug.startswith("xss-admin")
        ] + archive.snippet_urls()
        timed(
            "pages with the policy bypassed",
            Watch(browser, site, bypass_csp=True),
            lambda w: {f"{p} (policy bypassed)": f for p, f in tour(w, site, markup).items()},
        )
        # The editor's lists and forms: a sample, as admin pages are slow in a browser;
        # tests/security/test_xss.py checks every one (the same forms show every row).
        admin = archive.admin_urls(sample=True)
        timed(
            "admin pages",
            Watch(browser, site, cookies=[session]),
            lambda w: tour(w, site, admin, admin=True) | interact_with_the_admin(w, site, archive),
        )
    print(f"\n{'; '.join(report)}; {time.monotonic() - started:.1f} s in all")
    assert not problems, problems


def assert_the_watch_sees_a_planted_injection(browser, site: str) -> None:
    """A control: unsanitised payloads put straight into a page must be seen."""
    watch = Watch(browser, site, bypass_csp=True)
    watch.visit(site + "/")
    watch.page.set_content(
        "<img src=x onerror=alert(1)><a href='javascript:alert(2)'>x</a><iframe></iframe>"
        "<script>confirm(3)</script>"
    )
    found = " | ".join(watch.check())
    watch.close()
    for sign in ["script ran: ", "handler onerror", "javascript: URL", "element <iframe"]:
        assert sign in found, (sign, found)
    assert "confirm(3)" in found and "alert(1)" in found


def interact_with_search_suggestions(watch: Watch, site: str) -> dict:
    """The search box's suggestions list hostile names (written with textContent)."""
    problems = {}
    watch.visit(site + "/")
    for text in ["scr", "img src", "alert"]:
        box = watch.page.locator("#site-search-q")
        box.fill("")
        box.press_sequentially(text)
        watch.page.locator(".search-suggestions [role=option]").first.wait_for(timeout=5000)
        if found := watch.check():
            problems[f"suggestions for {text!r}"] = found
    return problems


def interact_with_the_admin(watch: Watch, site: str, archive) -> dict:
    """The tag finder lists hostile names and adds one as a chip, and the live preview
    renders hostile Markdown into the editor's page."""
    problems = {}
    article = next(a for a in archive.articles if a.slug == "xss-admin-1")
    watch.visit(site + reverse("admin:articles_article_change", args=[article.pk]), admin=True)
    finder = watch.page.get_by_role("combobox", name="Add a tag")
    finder.fill("script")
    watch.page.locator(".tag-suggestions [role=option]").first.wait_for(timeout=5000)
    if found := watch.check(admin=True):
        problems["tag finder"] = found
    finder.press("Enter")
    watch.page.locator(".tag-chip.is-pending").first.wait_for(timeout=5000)
    if found := watch.check(admin=True):
        problems["tag added in place"] = found

    watch.visit(site + reverse("admin:articles_article_add"), admin=True)
    for number, group in enumerate(chunks(payloads(), 4)):
        watch.page.locator("#id_body").fill(f"Group {number}.\n\n{as_markdown(group)}")
        preview = watch.page.locator(".article-preview-body")
        preview.filter(has_text=f"Group {number}.").wait_for(timeout=5000)
        if found := watch.check(admin=True):
            problems[f"admin preview of payload group {number}"] = found
    return problems
