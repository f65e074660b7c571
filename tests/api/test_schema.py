"""The API checked against its own published schema by a client that did not write it:
schemathesis reads /api/v1/openapi.json from the running application, generates requests
for each operation, valid and not, and checks each answer: no server error, a status code
and content type the schema declares, a body that matches it, bad data refused and good
data accepted."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from articles.api.endpoints import api

# Enough examples an operation to reach its parameters' edges, few for `make test`.
EXAMPLES = 25


def operations() -> list[tuple[str, str, GenerationMode]]:
    """Every operation the API declares, by method and path (the schema as ninja writes
    it, no database needed), with valid data and, where it takes parameters, invalid."""
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [
        (method.upper(), path, mode)
        for path, item in paths.items()
        for method, operation in item.items()
        for mode in GenerationMode
        if mode.is_positive or operation.get("parameters")
    ]


@pytest.fixture
def live_schema(seeded):
    """The schema as the application serves it, through WSGI. Django's handler closes the
    database connection as each request starts and ends, which would end this test's
    transaction (and with it the seed): as Django's test client does, requests here leave
    it open."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path", "mode"), operations())
def test_every_operation_keeps_to_its_schema(live_schema, method, path, mode):
    operation = live_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_to_it(case):
        case.call_and_validate()

    keeps_to_it()
