"""Two server processes sharing one fresh PostgreSQL database and one Redis channel, under each async mode."""

import pytest

from tests.support.scaled import server_group


@pytest.fixture(params=["eventlet", "gevent"])
def pair(request, tmp_path):
    """Servers A and B on one database and one Redis channel, both running the async mode named by the param."""
    with server_group(tmp_path, 2, async_mode=request.param) as servers:
        yield servers
