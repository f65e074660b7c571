from pathlib import Path

from articles.importing.parsing import parse_gazetteer
from articles.importing.tagging import Tagger, candidate_names
from articles.text.folding import fold, name_key

TTP, TALIBAN, PAKISTAN, KHOST, HAMEED, JALALABAD = range(1, 7)
TAGGER = Tagger(
    [
        (TTP, "Tehrik-i-Taliban Pakistan"),
        (TTP, "TTP"),
        (TALIBAN, "Taliban"),
        (TALIBAN, "طالبان"),
        (PAKISTAN, "Pakistan"),
        (KHOST, "Khost"),
        (KHOST, "خوست"),
        (HAMEED, "Faiz Hameed"),
        (JALALABAD, "Jalālābād"),
        (JALALABAD, "جلال‌آباد"),
    ]
)


def test_folding_ignores_case_diacritics_and_apostrophe_styles():
    assert fold("Türkiye\u2019s JALĀLĀBĀD") == "turkiye's jalalabad"
    assert name_key("Tehrik-i-Taliban  Pakistan") == "tehrik i taliban pakistan"


def test_folding_unifies_arabic_and_persian_letter_variants():
    assert fold("كابل") == fold("کابل")
    assert fold("علي") == fold("علی")


def test_the_longest_name_wins_and_matches_do_not_overlap():
    counts = TAGGER.count("Tehrik-i-Taliban Pakistan (TTP) fought the state of Pakistan.")
    assert counts == {TTP: 2, PAKISTAN: 1}


def test_names_match_whole_words_only():
    assert TAGGER.count("Pakistani forces and the Talibanised") == {}
    assert TAGGER.count("Khosti farmers") == {}


def test_names_match_in_any_case_diacritics_or_separator():
    text = "tehrik i taliban pakistan, KHOST and Jalalabad; Faiz  Hameed spoke."
    assert TAGGER.count(text) == {TTP: 1, KHOST: 1, JALALABAD: 1, HAMEED: 1}


def test_native_script_names_are_found():
    assert TAGGER.count("طالبان په خوست کې") == {TALIBAN: 1, KHOST: 1}
    assert TAGGER.count("جلال آباد") == {JALALABAD: 1}


def test_an_empty_gazetteer_finds_nothing():
    assert Tagger([]).count("Khost") == {}


def test_candidate_names_are_unknown_capitalised_phrases_with_counts():
    text = (
        "Officials said Mullah Baradar met General Faiz Hameed in Khost. Later, Mullah Baradar "
        "visited the Ghulam Khan crossing.\n\n## Change in perception\n\nThe Taliban said so."
    )
    assert candidate_names(text, TAGGER) == [("Mullah Baradar", 2), ("Ghulam Khan", 1)]


def test_candidate_names_skip_surnames_of_known_people_and_sentence_openers():
    assert candidate_names("Hameed said. Then Hameed left. Videos spread.", TAGGER) == []


def test_folding_twice_changes_nothing_even_where_a_mark_hides_a_variant():
    for text in ("کوئٹہ", "ڈیورنڈ لائن", "آئی ایس آئی", "Türkiye’s", "Jalālābād"):
        assert fold(fold(text)) == fold(text)


def test_names_with_hamza_are_found_in_urdu_text():
    tagger = Tagger([(1, "کوئٹہ"), (2, "آئی ایس آئی")])
    assert tagger.count("کوئٹہ میں آئی ایس آئی کے دفتر") == {1: 1, 2: 1}


def test_an_urdu_spelling_differing_by_letter_variants_finds_the_gazetteers_person():
    """Issue 21: Urdu writes Zabihullah Mujahid with heh goal and the common spelling of
    Allah (ذبیح اللہ مجاہد), the gazetteer's aliases with the Arabic heh (ذبیح الله مجاهد)."""
    people = parse_gazetteer(Path(__file__).resolve().parents[2] / "seeds/gazetteer/people.yaml")
    tagger = Tagger(
        (index, name)
        for index, record in enumerate(people)
        for name in [record.name, *record.aliases]
    )
    zabihullah = next(i for i, record in enumerate(people) if record.slug == "zabihullah-mujahid")
    counts = tagger.count("طالبان کے ترجمان ذبیح اللہ مجاہد نے کہا کہ ذبیح‌اللہ مجاہد")
    assert counts == {zabihullah: 2}


def test_pashto_yeh_persian_digits_and_tatweel_fold_for_the_tagger():
    tagger = Tagger([(1, "ولسوالی"), (2, "کابل ۲۰۲۵")])
    assert tagger.count("د ولسوالۍ خلک او کــابل 2025") == {1: 1, 2: 1}
