"""What an HTML page must never contain once hostile text has gone through it: script the
site did not write, event handlers, script URLs, or elements that run or embed code.

``dangerous_markup(html)`` parses a page as a browser would read its tags (Python's HTML
parser, attribute values with their character references decoded) and names each problem.
The site's own markup passes: scripts loaded from its own paths, JSON data blocks, the
admin's ``<details>`` fieldsets, the maps the server draws (``<svg class="map-svg">``,
whose parts, event handlers and forbidden children are checked like any markup).
"""

import json
import re
from html.parser import HTMLParser

# Elements that run, embed or restyle content; none of them is needed to show text.
FORBIDDEN_TAGS = {
    "applet", "audio", "base", "embed", "foreignobject", "frame", "frameset", "iframe",
    "image", "isindex", "marquee", "math", "mglyph", "noscript", "object", "plaintext",
    "portal", "set", "animate", "source", "style", "svg", "template", "use", "video", "xmp",
}  # fmt: skip
URL_ATTRIBUTES = {
    "action", "background", "cite", "data", "formaction", "href", "longdesc", "poster",
    "src", "xlink:href",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_LINK_RELS = {"stylesheet", "icon", "canonical", "alternate", "self"}  # self: Atom feeds
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# As the URL standard parses: leading and trailing C0 controls and spaces are trimmed, and
# tabs and line breaks anywhere are removed ("java\tscript:" is "javascript:").
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in ``value`` (already entity-decoded), if any."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", value.strip(_C0_OR_SPACE)).lower())
    return match[1] if match else None


class _Inspector(HTMLParser):
    def __init__(self, *, admin: bool):
        super().__init__(convert_charrefs=True)
        self.allow_style_attribute = admin and ADMIN_ALLOWANCES["style_attribute"]
        self.forbidden_tags = FORBIDDEN_TAGS - (ADMIN_ALLOWANCES["tags"] if admin else set())
        self.problems: list[str] = []
        self._script: dict | None = None

    def _problem(self, message: str) -> None:
        line, column = self.getpos()
        self.problems.append(f"line {line}:{column}: {message}")

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._script = {"attrs": dict(attrs), "text": ""}

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._check_script(self._script["attrs"], self._script["text"])
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        site_map = tag == "svg" and values.get("class") == "map-svg"
        if tag in self.forbidden_tags and not site_map:
            self._problem(f"<{tag}> element")
        for name, value in values.items():
            if name.startswith("on"):
                self._problem(f"event handler {name}={value!r} on <{tag}>")
            elif name == "srcdoc":
                self._problem(f"srcdoc on <{tag}>")
            elif name == "style" and not self.allow_style_attribute:
                self._problem(f"style={value!r} on <{tag}>")
            elif tag == "use" and name == "href" and not value.startswith("#"):
                self._problem(f"<use href={value!r}> outside the page")
            elif name in URL_ATTRIBUTES or name.endswith(":href"):
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self._problem(f"{scheme}: URL in {name}={value!r} on <{tag}>")
        if tag == "meta" and "http-equiv" in values:
            self._problem(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "link" and not set(values.get("rel", "").split()) <= ALLOWED_LINK_RELS:
            self._problem(f"<link rel={values.get('rel')!r}>")

    def _check_script(self, attrs: dict, text: str) -> None:
        src = attrs.get("src")
        if src is not None:
            if not src.startswith("/") or src.startswith("//"):
                self._problem(f"<script src={src!r}> from elsewhere")
            if text.strip():
                self._problem("<script> with both src and inline code")
            return
        # Data blocks (JSON, and JSON-LD for search engines): never run, but must be JSON.
        if attrs.get("type") in ("application/json", "application/ld+json"):
            try:
                json.loads(text)
            except ValueError:
                self._problem(f"<script type={attrs['type']}> that is not JSON")
            return
        self._problem(f"inline <script>: {text.strip()[:80]!r}")


# The admin's own templates draw icons with inline SVG sprites (<svg><use href="#icon">)
# and use a few style attributes.
ADMIN_ALLOWANCES = {"tags": {"svg", "use"}, "style_attribute": True}


def dangerous_markup(html: str, *, admin: bool = False) -> list[str]:
    """Every element or attribute in ``html`` that could run script or embed content;
    ``admin`` allows what the Django admin's own templates use."""
    inspector = _Inspector(admin=admin)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


class _TextOf(HTMLParser):
    def __init__(self, tag: str):
        super().__init__(convert_charrefs=True)
        self.tag, self.depth, self.texts = tag, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.depth += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts_of(html: str, tag: str) -> list[str]:
    """The text inside each ``<tag>`` of the page, whitespace collapsed: what a reader sees."""
    parser = _TextOf(tag)
    parser.feed(html)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, [name for name, _ in attrs]))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, list[str]]]:
    """Each element of ``html`` as (tag, attribute names), in document order."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements
