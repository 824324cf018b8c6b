"""Issue 9, finding 8: the 404 page's og:url."""

import pytest
from bs4 import BeautifulSoup


@pytest.mark.xfail(
    strict=True,
    reason="seo.metadata.build_seo builds a 404's URL from the request's Host header; "
    "owned by seo (see the issue 9 report)",
)
def test_the_404_page_does_not_echo_the_requests_port(client, nova):
    response = client.get("/nope/", HTTP_HOST="nova.localhost:8123")
    assert response.status_code == 404
    og_url = BeautifulSoup(response.content, "html.parser").find("meta", property="og:url")
    assert og_url is None or ":8123" not in og_url["content"]
