from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from articles.db.alongside import close_helper_connection
from articles.models import Article
from tests.support.admin_forms import user_in

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILE = SEEDS / "000_cd8e701d099983cf.txt"


@pytest.fixture(autouse=True, scope="session")
def _close_helper_connection(django_db_setup):
    """Transactional tests (the browser's) run search counts on the helper's connection
    (articles/db/alongside.py), which must be gone before the test database is dropped."""
    yield
    close_helper_connection()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts without pages cached by another test's (rolled back) data."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client leaves
    its page's language active in the thread (a server activates each request's own)."""
    yield
    translation.deactivate()


@pytest.fixture
def editor_client(db):
    """A client logged in as a member of the Editors group (a client of its own, so that a
    test can hold a contributor's beside it)."""
    client = Client()
    client.force_login(user_in("Editors"))
    return client


@pytest.fixture
def seeded(db):
    """The shipped seeds (gazetteer and seed article), imported as `make run` does."""
    call_command("import_articles", str(SEEDS), verbosity=0)
    return Article.objects.get(source_file=SEED_FILE.name)
