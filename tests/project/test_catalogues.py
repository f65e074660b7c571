"""The interface's catalogues (locale/): every message marked in the templates and the code
is in each language's catalogue, translated (every plural form), not fuzzy, with the same
placeholders as its source; and each compiled catalogue is its source's compilation."""

import importlib.util
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages)


@pytest.fixture(scope="module")
def marked():
    return {(m.context, _plain(m.id)) for m in messages.extracted() if m.id}


def keys(catalog) -> dict:
    """Each message by its context and id (a plural's ids as a tuple, in .po and .mo alike)."""
    return {(message.context, _plain(message.id)): message for message in catalog if message.id}


def _plain(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", messages.LOCALES)
def test_every_marked_message_is_in_the_catalogue(marked, locale):
    catalog = keys(messages.read(locale))
    missing = sorted(map(str, marked - set(catalog)))
    assert not missing, f"{locale} lacks {missing} (run `make messages`)"
    stale = sorted(map(str, set(catalog) - marked))
    assert not stale, f"{locale} holds messages no source marks: {stale}"


@pytest.mark.parametrize("locale", messages.LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    catalog = messages.read(locale)
    assert not catalog.fuzzy, f"{locale}: the catalogue's header is marked fuzzy"
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or len(strings) < (catalog.num_plurals if message.pluralizable else 1):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{locale} leaves untranslated: {untranslated}"
    assert not fuzzy, f"{locale} has fuzzy translations: {fuzzy}"


@pytest.mark.parametrize("locale", messages.LOCALES)
def test_translations_keep_their_sources_placeholders(locale):
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in messages.read(locale).check()
        if errors
    ]
    assert not problems, problems


@pytest.mark.parametrize("locale", messages.LOCALES)
def test_the_compiled_catalogue_is_its_sources_compilation(locale):
    source = keys(messages.read(locale))
    with messages.po_path(locale).with_suffix(".mo").open("rb") as file:
        compiled = keys(read_mo(file))
    assert {key: _plain(message.string) for key, message in compiled.items()} == {
        key: _plain(message.string) for key, message in source.items()
    }, f"locale/{locale}: django.mo is older than django.po (run `make messages`)"
