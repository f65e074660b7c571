"""One folding rule: a name folds to the same words in Python (``name_key``: the tagger and
the importer's tag resolver) and in the database (``newsarchive_fold``: the entity and alias
search names, and the names a search query spells), for every name of the gazetteer and for
any text made of characters both know; and Arabic script folds alike in the full-text
index and queries (``newsarchive_search_text``) and in Python (``fold_arabic_script``)."""

import unicodedata
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing.parsing import parse_gazetteer
from articles.text.folding import fold, fold_arabic_script, name_key

GAZETTEER = Path(__file__).resolve().parents[2] / "seeds" / "gazetteer"


def applied_by_the_database(function: str, texts: list[str]) -> list[str]:
    """``texts`` through one of the database's text functions, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {function}(text)"  # noqa: S608 (the name of our own function)
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t (text, n) ORDER BY n",
            [texts],
        )
        return [folded for (folded,) in cursor.fetchall()]


def folded_by_the_database(texts: list[str]) -> list[str]:
    return applied_by_the_database("newsarchive_fold", texts)


# What the rule is: the product's choices, on both sides.


@pytest.mark.parametrize(
    ("spellings", "folded"),
    [
        # Case, diacritics (decomposed and dropped) and the kind of apostrophe or hyphen.
        (["Jalālābād", "JALALABAD", "jalālābād"], "jalalabad"),
        (["Türkiye", "Turkiye", "TÜRKİYE"], "turkiye"),
        (
            ["Tehreek-e-Taliban’s", "Tehreek e Taliban's", "tehreek–e–taliban ʼs"],
            "tehreek e taliban s",
        ),
        (["ΟΔΥΣΣΕΥΣ", "Οδυσσεύς"], "οδυσσευς"),
        # Latin letters that do not decompose into a letter and a mark.
        (["İbrahim Kalın", "Ibrahim Kalin"], "ibrahim kalin"),
        (["Łódź", "Lodz"], "lodz"),
        (["Straße", "STRASSE"], "strasse"),
        (["Ørsted", "Orsted"], "orsted"),
        (["Œuvre", "Oeuvre"], "oeuvre"),
        (["Þór", "Thor"], "thor"),
        (["Đakovo", "Dakovo"], "dakovo"),
        # Arabic-script letter variants, harakat, hamza and madda, tatweel.
        (["كابل", "کابل", "ﻛﺎﺑﻞ"], "کابل"),  # Arabic kaf, keheh, presentation forms
        (["علي", "علی", "عَلِيّ", "علـــی"], "علی"),
        (["اسلام آباد", "اسلام اباد", "اسلام‌آباد"], "اسلام اباد"),  # madda; a ZWNJ
        (["کوئٹہ", "کویٹہ", "كويٹه"], "کویٹه"),  # yeh with hamza above; heh goal
        (["أفغانستان", "افغانستان", "إفغانستان"], "افغانستان"),
        # Urdu heh goal and the common spelling of Allah; a ZWNJ parts words as a space does.
        (
            ["ذبیح اللہ مجاہد", "ذبیح الله مجاهد", "ذبیح‌الله مجاهد", "ذبيح الله مجاهد"],
            "ذبیح الله مجاهد",
        ),
        (["بھارت", "بهارت", "بہارت"], "بهارت"),  # heh doachashmee
        (["ولسوالۍ", "ولسوالې", "ولسوالی"], "ولسوالی"),  # Pashto yeh
        (["ٱلله", "الله", "ﷲ"], "الله"),  # alef wasla; the ligature
        (["سؤال", "سوال"], "سوال"),
        (["مدرسة", "مدرسه", "مدرسۃ"], "مدرسه"),
        (["۲۰۲۵", "٢٠٢٥", "2025"], "2025"),  # Persian and Arabic-Indic digits
        (["کابل", "كابل", "کا‍بل"], "کابل"),  # zero-width joiner
        # Compatibility forms: full width, ligatures, superscripts.
        (["ＴＴＰ", "TTP"], "ttp"),
        (["ﬁeld²", "field2"], "field2"),
        # Everything but letters and digits parts words: underscores and symbols too.
        (["Khost_Paktia", "Khost + Paktia", "Khost/Paktia", "«Khost» Paktia"], "khost paktia"),
    ],
)
def test_spellings_of_a_name_fold_alike_on_both_sides(db, spellings, folded):
    assert [name_key(spelling) for spelling in spellings] == [folded] * len(spellings)
    assert folded_by_the_database(spellings) == [folded] * len(spellings)


def test_every_gazetteer_name_and_alias_folds_alike_in_python_and_the_database(db):
    names = [
        name
        for path in sorted(GAZETTEER.glob("*.yaml"))
        for record in parse_gazetteer(path)
        for name in [record.name, *record.aliases]
    ]
    assert len(names) > 300
    assert folded_by_the_database(names) == [name_key(name) for name in names]


# Any text.

# Letters whose folding has a case or a context of its own, marks in and out of order.
SPECIAL = [
    *"ΣσςΑİIıißẞ-'’ʼ_\u200c\u200d\u00ad\u0301\u0308\u0316\u0334\u0654\u0670\u0640",
    *"أإآئؤيىكةۀ۰٠ﻻﷺ①ℌٱېۍێہھەۃ۹٩ے\u0610\u06d6\u08e3\ufe70",
    *["ΑΣ", "Jalālābād", "جلال‌آباد", "ΟΔΥΣΣΕΥΣ"],
]


@pytest.fixture(scope="module")
def known_characters(django_db_setup, django_db_blocker) -> frozenset[str]:
    """Every character that Python, PostgreSQL's normalize() and ICU (whose collation the
    database's folding lowers and classifies with) know alike: assigned in Python's Unicode,
    known to ICU (printable, unless a control, format or private-use character), and
    decomposed and placed among combining marks by PostgreSQL as by Python. PostgreSQL 15
    normalises by Unicode 14.0, ICU 72 by 15.0 and Python 3.13 by 15.1: this leaves out the
    characters Unicode 15.0 and 15.1 added with a decomposition, a combining class or a
    category that the older tables lack (699 with these versions), and NUL, which text
    cannot hold."""
    assigned = [
        chr(code)
        for code in range(1, 0x110000)
        if unicodedata.category(chr(code)) not in ("Cn", "Cs")
    ]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # After a mark of combining class 230, the character, then a mark of class 1:
        # normalizing moves the last before the character if the character is a mark, which
        # PostgreSQL does only for the marks its tables know.
        cursor.execute(
            "SELECT normalize(c, NFKD), normalize('a' || U&'\\0301' || c || U&'\\0334', NFKD),"
            " c ~ '[[:print:]]' COLLATE \"und-x-icu\""
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t (c, n) ORDER BY n",
            [assigned],
        )
        rows = cursor.fetchall()
    known = frozenset(
        character
        for character, (decomposed, placed, printable) in zip(assigned, rows, strict=True)
        if decomposed == unicodedata.normalize("NFKD", character)
        and placed == unicodedata.normalize("NFKD", f"a\u0301{character}\u0334")
        and (printable or unicodedata.category(character).startswith("C"))
    )
    assert len(known) > 0.99 * len(assigned)
    return known


def test_every_character_both_know_folds_alike_between_letters(db, known_characters):
    texts = [f"x{character}y" for character in sorted(known_characters)]
    differing = [
        (f"U+{ord(text[1]):04X}", by_python, by_sql)
        for text, by_sql in zip(texts, folded_by_the_database(texts), strict=True)
        if (by_python := name_key(text)) != by_sql
    ]
    assert differing == []


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_text_folds_alike_in_python_and_the_database_and_folding_again_changes_nothing(
    db, known_characters, data
):
    characters = st.characters(codec=None, exclude_categories=["Cs", "Cn"]).filter(
        known_characters.__contains__
    )
    pieces = st.one_of(st.text(characters, max_size=12), st.sampled_from(SPECIAL))
    text = data.draw(st.lists(pieces, max_size=8).map("".join), label="text")
    by_python = name_key(text)
    by_sql, again_by_sql = folded_by_the_database([text, by_python])
    assert by_python == by_sql
    assert name_key(by_python) == by_python == again_by_sql
    assert fold(fold(text)) == fold(text)


# Arabic script in the full-text index and queries.


def searched_by_the_database(texts: list[str]) -> list[str]:
    return applied_by_the_database("newsarchive_search_text", texts)


def test_text_is_folded_for_search_as_names_are_in_arabic_script_and_left_alone_otherwise(db):
    texts = ["ذبیح اللہ مجاہد نے کہا", "ذبیح‌الله مجاهد", "Türkiye’s refugees, 2025"]
    expected = ["ذبیح الله مجاهد نے کها", "ذبیح الله مجاهد", "Türkiye’s refugees, 2025"]
    assert [fold_arabic_script(text) for text in texts] == expected
    assert searched_by_the_database(texts) == expected


def test_every_character_both_know_folds_alike_for_search(db, known_characters):
    texts = [f"x{character}y" for character in sorted(known_characters)]
    differing = [
        (f"U+{ord(text[1]):04X}", by_python, by_sql)
        for text, by_sql in zip(texts, searched_by_the_database(texts), strict=True)
        if (by_python := fold_arabic_script(text)) != by_sql
    ]
    assert differing == []


def test_every_arabic_script_character_folds_alike_for_search_in_runs(db, known_characters):
    """Runs of the Arabic blocks and presentation forms, each after the one before: a
    presentation form beside the letters it decomposes into, marks after any letter."""
    arabic = sorted(
        c
        for c in known_characters
        if 0x0600 <= ord(c) <= 0x08FF or (ord(c) >= 0xFB50 and ord(c) <= 0xFEFF)
    )
    texts = ["".join(arabic[i : i + 7]) for i in range(len(arabic))]
    assert searched_by_the_database(texts) == [fold_arabic_script(text) for text in texts]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_text_folds_alike_for_search_in_python_and_the_database(db, known_characters, data):
    characters = st.characters(codec=None, exclude_categories=["Cs", "Cn"]).filter(
        known_characters.__contains__
    )
    arabic = st.characters(min_codepoint=0x0600, max_codepoint=0x08FF).filter(
        known_characters.__contains__
    )
    pieces = st.one_of(
        st.text(characters, max_size=12), st.text(arabic, max_size=12), st.sampled_from(SPECIAL)
    )
    text = data.draw(st.lists(pieces, max_size=8).map("".join), label="text")
    by_python = fold_arabic_script(text)
    by_sql, again_by_sql = searched_by_the_database([text, by_python])
    assert by_python == by_sql
    assert fold_arabic_script(by_python) == by_python == again_by_sql
