"""The renderer keeps the HTML of the texts it rendered last, within a bound."""

import pytest

from articles.text import markdown as rendering
from articles.text.markdown import MEMO_CHARS, MEMO_ENTRIES, MEMO_MAX_CHARS, render_markdown


@pytest.fixture
def renders(monkeypatch):
    """The texts the renderer renders (rather than finds in its memo), from an empty memo."""
    rendered = []
    render = rendering._render
    monkeypatch.setattr(rendering, "_render", lambda text: rendered.append(text) or render(text))
    rendering.memo.clear()
    yield rendered
    rendering.memo.clear()


def test_a_text_rendered_again_is_not_rendered_twice(renders):
    text = "# Talks resume\n\nDelegations met in **Doha**."
    first = render_markdown(text)
    assert render_markdown(text) == first
    assert renders == [text]
    assert "<h2" in first and "<strong>Doha</strong>" in first


def test_long_texts_are_rendered_each_time_and_the_memory_stays_bounded(renders):
    long_text = "word " * (MEMO_MAX_CHARS // 5 + 1)
    assert render_markdown(long_text).startswith("<p>word")
    render_markdown(long_text)
    assert renders == [long_text, long_text]
    for number in range(MEMO_ENTRIES + 10):
        render_markdown(f"Paragraph {number}.")
    assert len(rendering.memo) == MEMO_ENTRIES


def test_html_much_longer_than_its_text_counts_against_the_bound(renders):
    """Each use of an abbreviation carries its title: 16 KB of text made 200 KB of HTML,
    and 256 of them held 55 million characters."""
    for number in range(60):
        html = render_markdown(f"*[A]: title {number}\n\n" + "A " * 8_000)
        assert len(html) > 12 * MEMO_MAX_CHARS
    assert rendering.memo.chars <= MEMO_CHARS
    assert 0 < len(rendering.memo) < 60
