"""The quotation finder (articles/text/quotations.py): its patterns one by one, and its
precision and recall on articles whose quotations were marked by hand."""

import pytest

from articles.text.quotations import Speaker, find_quotations, paragraphs_of
from tests.text.quotations_marked import CASES, HELD_OUT, PEOPLE

SPEAKERS = {
    name: Speaker(number, (name, *aliases)) for number, (name, aliases) in enumerate(PEOPLE.items())
}
NAMES = {speaker.id: name for name, speaker in SPEAKERS.items()}


def attributions(body: str, people) -> dict[str, str]:
    """Passage → speaker's name, as the finder attributes them."""
    return {
        found.passage: NAMES[found.speaker]
        for found in find_quotations(body, [SPEAKERS[name] for name in people])
    }


def marked(case) -> dict[str, str | None]:
    return case["quotes"]


def match(found: dict[str, str], prefix: str) -> tuple[str, str] | None:
    for passage, speaker in found.items():
        if passage.startswith(prefix):
            return passage, speaker
    return None


def score(cases) -> tuple[int, int, int, list[str]]:
    """(correct, attributed, to attribute) over ``cases``, and the mistakes."""
    correct = attributed = expected = 0
    mistakes = []
    for number, case in enumerate(cases):
        found = attributions(case["body"], case["people"])
        attributed += len(found)
        claimed = set()
        for prefix, speaker in marked(case).items():
            hit = match(found, prefix)
            if hit:
                claimed.add(hit[0])
            if speaker is not None:
                expected += 1
            if hit and hit[1] == speaker:
                correct += 1
            elif hit or speaker is not None:
                mistakes.append(f"case {number}: {prefix!r}: {hit and hit[1]} for {speaker}")
        mistakes += [f"case {number}: unmarked {p!r}" for p in set(found) - claimed]
    return correct, attributed, expected, mistakes


def test_the_hand_marked_set_is_large_enough():
    quotations = [speaker for case in CASES for speaker in marked(case).values()]
    assert len(quotations) >= 30
    assert quotations.count(None) >= 10  # quotations nobody should be given


def test_precision_and_recall_on_the_hand_marked_set(capsys):
    correct, attributed, expected, mistakes = score(CASES)
    precision = correct / attributed
    recall = correct / expected
    with capsys.disabled():
        print(
            f"\nquotations: precision {precision:.1%} ({correct}/{attributed}), "
            f"recall {recall:.1%} ({correct}/{expected})"
        )
    assert precision >= 0.95, mistakes
    assert recall >= 0.9, mistakes


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We will defend every inch of our land,” he said.", None),  # nobody before
        ("Basir spoke. “We will defend every inch of our land,” he said.", "Abbas Basir"),
        ("“We will defend every inch of our land,” said Basir.", "Abbas Basir"),
        ("“We will defend every inch of our land,” Basir told DW.", "Abbas Basir"),
        ("“We will defend every inch of our land,” according to Abbas Basir.", "Abbas Basir"),
        ("Abbas Basir said: “We will defend every inch of our land.”", "Abbas Basir"),
        ("According to Basir, “we will defend every inch of our land.”", "Abbas Basir"),
        ('"We will defend every inch of our land," Basir said.', "Abbas Basir"),
        ("“We will defend every inch of our land,” Basir’s spokesman said.", None),
        ("“We will defend every inch of our land,” a spokesman for Basir said.", None),
        ("“We will defend every inch of our land,” an official said.", None),
        ("“We will defend,” Basir said.", None),  # too short to be more than a slogan
        ("Basir called it “a war of choice”.", None),
    ],
)
def test_attribution_patterns(text, speaker):
    found = attributions(text, ["Abbas Basir", "Khawaja Asif"])
    assert list(found.values()) == ([speaker] if speaker else [])


def test_a_quotation_spanning_paragraphs_after_its_attribution_is_one_passage():
    body = (
        "Abbas Basir told DW:\n\n“The first paragraph of what he said goes on\n\n"
        "“and ends in the second one, here.”"
    )
    [(passage, speaker)] = attributions(body, ["Abbas Basir"]).items()
    assert speaker == "Abbas Basir"
    assert passage.startswith("The first paragraph") and passage.endswith("second one, here.")


def test_the_seed_attributes_its_three_quotations_and_nothing_else():
    from pathlib import Path

    text = Path("seeds/000_cd8e701d099983cf.txt").read_text(encoding="utf-8")
    people = list(PEOPLE)
    found = attributions(text.replace("\n", "\n\n"), people)
    assert sorted(found.values()) == ["Abbas Basir", "Bismillah Taban", "Mujib Rahman Rahimi"]


def test_paragraphs_are_plain_text_without_markdown():
    body = "## A heading\n\n> A \\*quoted\\* line\n> goes on\n\nLast"
    assert paragraphs_of(body) == ["", "A *quoted* line goes on", "Last"]


def test_precision_and_recall_on_the_held_out_set(capsys):
    """Marked after the finder was tuned on CASES: its fairer figures, reported, and held
    to the same precision."""
    correct, attributed, expected, mistakes = score(HELD_OUT)
    with capsys.disabled():
        print(
            f"\nheld out: precision {correct / max(1, attributed):.1%} ({correct}/{attributed}), "
            f"recall {correct / expected:.1%} ({correct}/{expected}); {mistakes}"
        )
    assert correct / max(1, attributed) >= 0.95, mistakes
