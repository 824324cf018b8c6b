"""Issue 9, finding 8: the 404 page's og:url."""

from bs4 import BeautifulSoup


def test_the_404_page_does_not_echo_the_requests_port(client, nova):
    response = client.get("/nope/", HTTP_HOST="nova.localhost:8123")
    assert response.status_code == 404
    og_url = BeautifulSoup(response.content, "html.parser").find("meta", property="og:url")
    assert og_url is not None
    assert og_url["content"] == "http://nova.localhost/nope/"
