"""The checks of `make deploy-check` (scripts/deploy-check starts nginx and gunicorn):
what a reader, an attacker and Prometheus meet through the deploy recipe. Prints each
check and exits 1 if any failed."""

import argparse
import gzip
import http.client
import json
import re
import secrets
import socket
import ssl
import sys
import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

HSTS = "max-age=31536000; includeSubDomains; preload"
FORGED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Protocol": "http",
    "X-Forwarded-Ssl": "off",
    "X-Forwarded-Prefix": "/evil",
    "Forwarded": "for=203.0.113.7;host=evil.example;proto=http",
    "SCRIPT_NAME": "/evil",
    "Script-Name": "/evil",
    "X-Script-Name": "/evil",
    "PATH_INFO": "/evil/",
}


class Response:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        body = self.body
        if self.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


class Site:
    def __init__(self, options):
        self.options = options
        self.tls = ssl.create_default_context(cafile=options.ca)

    def request(self, method, path, *, headers=None, body=None, port=None, tls=True,
                source="127.0.0.1", send_body=True) -> Response:  # fmt: skip
        """One request on a connection of its own, from ``source`` (an address of the
        loopback network: nginx sees it as the client's)."""
        port = port or (self.options.https if tls else self.options.http)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        raw = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
        connection.sock = (
            self.tls.wrap_socket(raw, server_hostname=self.options.host) if tls else raw
        )
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        headers = {"Host": self.options.host, **(headers or {})}
        if body is not None:
            headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body if send_body else None)
        try:
            return Response(connection.getresponse())
        finally:
            connection.close()

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)


class Checks:
    def __init__(self):
        self.failed = 0
        self.count = 0

    def check(self, name: str, passed: bool, detail: str = "") -> None:
        self.count += 1
        self.failed += not passed
        print(f"{'ok  ' if passed else 'FAIL'} {name}" + ("" if passed else f": {detail}"))


def comparable(text: str) -> str:
    """A page without what differs from one response to the next (nonces, request ids)."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text)


def run(options) -> Checks:
    site, checks = Site(options), Checks()
    check = checks.check
    host = options.host

    # Plain HTTP says where the HTTPS site is, to its own name whatever Host claims.
    for claimed in (host, "evil.example"):
        moved = site.get("/search/?q=Khost", tls=False, headers={"Host": claimed})
        check(
            f"HTTP redirects to HTTPS (Host: {claimed})",
            moved.status == 301 and moved.header("Location") == f"https://{host}/search/?q=Khost",
            f"{moved.status} {moved.header('Location')}",
        )

    home = site.get("/")
    article = re.search(r'href="(/articles/[^"/]+/)"', home.text)
    check("the home page lists an article", home.status == 200 and article, str(home.status))
    pages = ["/", article[1] if article else "/articles/", "/search/?q=Taliban", "/people/",
             "/places/", "/timeline/", "/map/", "/feed/", "/sitemap.xml", "/api/v1/articles",
             "/api/v1/docs/", "/admin/login/"]  # fmt: skip
    for path in pages:
        page = site.get(path)
        check(f"{path} answers 200 over HTTPS", page.status == 200, str(page.status))
        check(f"{path} has HSTS", page.header("Strict-Transport-Security") == HSTS,
              page.header("Strict-Transport-Security"))  # fmt: skip
        check(f"{path} has a request id", bool(page.header("X-Request-ID")))
    check("pages carry their CSP", "default-src 'self'" in home.header("Content-Security-Policy"))
    version = site.tls.wrap_socket(
        socket.create_connection(("127.0.0.1", options.https)), server_hostname=host
    )
    check("TLS 1.2 or 1.3", version.version() in ("TLSv1.2", "TLSv1.3"), version.version())
    version.close()

    gzipped = site.get("/", headers={"Accept-Encoding": "gzip"})
    check("pages are gzipped", gzipped.header("Content-Encoding") == "gzip"
          and "</html>" in gzipped.text, gzipped.header("Content-Encoding"))  # fmt: skip
    brotli = site.get("/", headers={"Accept-Encoding": "br"})
    check("pages are sent in Brotli", brotli.header("Content-Encoding") == "br",
          brotli.header("Content-Encoding"))  # fmt: skip
    check("compressed pages vary by Accept-Encoding", "Accept-Encoding" in gzipped.header("Vary"))

    # Static files: hashed names kept a year, their .gz twins sent as they are.
    manifest = json.loads((Path(options.static) / "staticfiles.json").read_text())["paths"]
    original, hashed = next((o, h) for o, h in manifest.items() if o.endswith(".css"))
    static = site.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    check("a hashed static file is kept a year",
          static.status == 200
          and static.header("Cache-Control") == "public, max-age=31536000, immutable",
          f"{static.status} {static.header('Cache-Control')}")  # fmt: skip
    check("a hashed static file comes gzipped", static.header("Content-Encoding") == "gzip")
    check("static files have HSTS and nosniff",
          static.header("Strict-Transport-Security") == HSTS
          and static.header("X-Content-Type-Options") == "nosniff")  # fmt: skip
    plain = site.get(f"/static/{original}")
    check("a static file without a hash is kept an hour",
          plain.status == 200 and plain.header("Cache-Control") == "public, max-age=3600",
          f"{plain.status} {plain.header('Cache-Control')}")  # fmt: skip
    check("a missing static file is 404", site.get("/static/no-such.css").status == 404)

    # Forged proxy headers change nothing: not the page, its links, nor the scheme.
    for path in ["/", article[1] if article else "/", "/search/?q=Khost"]:
        honest, forged = site.get(path), site.get(path, headers=FORGED)
        check(f"forged proxy headers change nothing on {path}",
              forged.status == honest.status == 200
              and comparable(forged.text) == comparable(honest.text)
              and "evil" not in forged.text,
              f"{honest.status} → {forged.status}")  # fmt: skip

    # Login failures count by the client's address, not by a forged X-Forwarded-For.
    login = site.get("/admin/login/")
    cookie = re.search(r"csrftoken=([^;]+)", login.header("Set-Cookie"))[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]

    def log_in(source: str, forged_for: str) -> int:
        body = f"csrfmiddlewaretoken={token}&username=nobody&password=wrong&next=/admin/"
        return site.request(
            "POST", "/admin/login/", body=body.encode(), source=source,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Cookie": f"csrftoken={cookie}", "Referer": f"https://{host}/admin/login/",
                     "X-Forwarded-For": forged_for},
        ).status  # fmt: skip

    statuses = [log_in("127.0.0.1", f"198.51.100.{n}") for n in range(11)]
    check("a forged X-Forwarded-For does not escape the login lockout", statuses[-1] == 429,
          str(statuses))  # fmt: skip
    other = log_in("127.0.0.2", "127.0.0.1")
    check("another client is not locked out (nor can it forge the locked one)", other == 200,
          str(other))  # fmt: skip

    # The request size limit: 20 MiB of uploads and their form, no more.
    big = site.request("POST", "/admin/", headers={"Content-Length": str(22 * 2**20)},
                       body=b"", send_body=False)  # fmt: skip
    check("a request body over the limit is refused by nginx", big.status == 413, str(big.status))
    fits = site.request("POST", "/admin/login/", body=b"x" * 2**20)
    check("a request body within the limit reaches Django", fits.status == 403, str(fits.status))

    # Request ids: kept when given, and in the JSON log line of the request.
    rid = f"deploy-check-{secrets.token_hex(6)}"
    check(
        "X-Request-ID is sent back",
        site.get("/people/", headers={"X-Request-ID": rid}).header("X-Request-ID") == rid,
    )

    # Metrics: never through nginx; from gunicorn with the token, every worker's added up.
    check("/metrics is not served through nginx", site.get("/metrics").status == 404)
    refused = site.get("/metrics", tls=False, port=options.app)
    check("/metrics refuses a scraper without the token", refused.status == 403)
    scraper = {"Authorization": f"Bearer {options.token}", "Host": "127.0.0.1"}
    scraped = site.get("/metrics", tls=False, port=options.app, headers=scraper)
    check("/metrics answers the token", scraped.status == 200, str(scraped.status))
    responses = sum(
        sample.value
        for family in text_string_to_metric_families(scraped.text)
        for sample in family.samples
        if sample.name == "newsarchive_responses_total"
    )

    time.sleep(0.5)
    records = []
    for line in Path(options.gunicorn_log).read_text().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            check("every log line is a JSON object", False, line[:200])
            break
    check("the request's log line has its id and view",
          any(r.get("request_id") == rid and r.get("view") == "articles:person_list"
              for r in records), rid)  # fmt: skip
    # Each request Django answered logged a line (LOG_REQUESTS); the scrape's own is
    # written once its answer is made.
    answered = sum(record["logger"] == "newsarchive.requests" for record in records) - 1
    check("the metrics add up every worker's responses", responses == answered,
          f"{responses} counted, {answered} logged")  # fmt: skip
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--http", type=int, required=True)
    parser.add_argument("--https", type=int, required=True)
    parser.add_argument("--app", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--static", required=True)
    parser.add_argument("--gunicorn-log", required=True)
    started = time.perf_counter()
    checks = run(parser.parse_args())
    print(f"{checks.count - checks.failed} passed, {checks.failed} failed "
          f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
