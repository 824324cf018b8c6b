"""Issue 9, finding 8: HEAD on the per-domain files."""

import pytest


@pytest.mark.parametrize("path", ["/robots.txt", "/favicon.svg", "/social-card.png"])
def test_head_requests_on_per_domain_files(client, nova, path):
    get = client.get(path, HTTP_HOST="nova.localhost")
    head = client.head(path, HTTP_HOST="nova.localhost")
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""
