"""The renderer keeps the HTML of the texts it rendered last, within a bound."""

from articles import rendering
from articles.rendering import MEMO_ENTRIES, MEMO_MAX_CHARS, render_markdown


def test_a_text_rendered_again_is_not_rendered_twice():
    rendering._render_memoised.cache_clear()
    text = "# Talks resume\n\nDelegations met in **Doha**."
    first = render_markdown(text)
    assert render_markdown(text) == first == rendering._render(text)
    assert rendering._render_memoised.cache_info().hits == 1
    assert "<h2" in first and "<strong>Doha</strong>" in first


def test_long_texts_are_rendered_each_time_and_the_memory_stays_bounded():
    rendering._render_memoised.cache_clear()
    long_text = "word " * (MEMO_MAX_CHARS // 5 + 1)
    assert render_markdown(long_text).startswith("<p>word")
    assert rendering._render_memoised.cache_info().currsize == 0
    for number in range(MEMO_ENTRIES + 10):
        render_markdown(f"Paragraph {number}.")
    assert rendering._render_memoised.cache_info().currsize == MEMO_ENTRIES
