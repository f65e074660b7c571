"""Behind a load balancer: the reader's address, for login throttling."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from newsarchive.proxies import client_address


def request(forwarded: str | None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)


def test_without_proxies_the_address_is_the_connections(settings):
    settings.PROXIES_IN_FRONT = 0
    assert client_address(request("203.0.113.9")) == "10.0.0.2"


def test_behind_one_proxy_the_address_is_the_one_it_appended(settings):
    settings.PROXIES_IN_FRONT = 1
    assert client_address(request("203.0.113.9")) == "203.0.113.9"
    # What the reader wrote before the proxy's entry is not believed.
    assert client_address(request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    # A request that reached the server without the proxy.
    assert client_address(request(None)) == "10.0.0.2"


@pytest.mark.django_db
def test_one_readers_failed_logins_do_not_lock_out_another_behind_the_same_proxy(settings):
    settings.PROXIES_IN_FRONT = 1
    User.objects.create_user("amina", password="the-right-password", is_staff=True)
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(10):
        attacker.post("/admin/login/", {"username": "amina", "password": "wrong"})
    assert attacker.post("/admin/login/", {"username": "amina", "password": "x"}).status_code == 429
    editor = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    form = {"username": "amina", "password": "the-right-password"}
    assert editor.post("/admin/login/?next=/admin/", form).status_code == 302
