import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client

from newsarchive.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_login_attempts_are_rate_limited():
    User.objects.create_user("amina", password="the-right-password", is_staff=True)
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": "amina", "password": "wrong"}).status_code
        for _ in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "amina", "password": "the-right-password"}
    )
    assert locked.status_code == 429
    assert "Too many login attempts" in locked.text


def test_a_correct_login_still_works_before_the_limit():
    User.objects.create_user("amina", password="the-right-password", is_staff=True)
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": "amina", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "amina", "password": "the-right-password"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_csrf_protection_is_on_for_the_admin():
    User.objects.create_user("amina", password="the-right-password", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "amina", "password": "the-right-password"})
    assert response.status_code == 403


def test_an_unreachable_database_gives_a_503_page(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/"), OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()
    assert middleware.process_exception(rf.get("/"), ValueError("other")) is None
