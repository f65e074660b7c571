"""Renders the bodies given on stdin (a JSON object of names and bodies) as the renderer
does, one JSON line per body on stdout: whether it was refused, how long it took, and the
error if Markdown raised on a body the renderer would have rendered. Run as a separate
process by tests/text/test_markdown_bounds.py, so that a body that hangs can be stopped."""

import json
import sys
import time

import markdown

from articles.text.markdown import _MARKDOWN_EXTENSIONS, render_markdown
from articles.text.markdown_cost import markdown_hazard


def probe(name: str, body: str) -> dict:
    started = time.perf_counter()
    html = render_markdown(body)
    seconds = time.perf_counter() - started
    hazard = markdown_hazard(body)
    error = None
    if hazard is None:
        try:  # the library itself, whose failure the renderer would hide
            markdown.markdown(body, extensions=_MARKDOWN_EXTENSIONS)
        except Exception as failure:
            error = repr(failure)[:200]
    return {"name": name, "refused": hazard, "error": error, "html": html, "seconds": seconds}


if __name__ == "__main__":
    for name, body in json.load(sys.stdin).items():
        print(json.dumps(probe(name, body)), flush=True)
