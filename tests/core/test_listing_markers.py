"""A clinic blog's page listing marks the copies whose changes the library overtook, and
links each to its stale changes; its editors see their own clinic's listing only. An
article opens in its editor from the explorer, not as an empty listing."""

from bs4 import BeautifulSoup
from django.urls import reverse

from blog.models import BlogIndexPage
from tests.core.test_stale_changes import stale_copy, user_of  # noqa: F401 (a fixture)


def listing_rows(client, blog) -> dict[str, str]:
    response = client.get(reverse("wagtailadmin_explore", args=[blog.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        " ".join(tr.select_one("td.title").get_text(" ").split()): " ".join(
            tr.get_text(" ").split()
        )
        for tr in soup.select("table.listing tbody tr")
        if tr.select_one("td.title")
    }


def test_the_blog_listing_marks_a_copy_with_stale_changes(stale_copy, nova, client):  # noqa: F811
    client.force_login(user_of("Nova Health Recovery"))
    blog = BlogIndexPage.objects.child_of(nova).get()
    response = client.get(reverse("wagtailadmin_explore", args=[blog.pk]))
    html = response.content.decode()
    assert "Library changed since" in html
    link = BeautifulSoup(html, "html.parser").find(
        "a", href=reverse("blog_stale_changes", args=[stale_copy.pk])
    )
    assert link is not None and link.get_text(strip=True) == "1 stale change"


def test_a_copy_without_stale_changes_is_not_marked(stale_copy, three_rivers, client):  # noqa: F811
    client.force_login(user_of("Three Rivers Wellness"))
    blog = BlogIndexPage.objects.child_of(three_rivers).get()
    rows = listing_rows(client, blog)
    assert rows and not any("stale change" in row for row in rows.values())
    # and Nova's listing is not theirs to read
    nova_blog = BlogIndexPage.objects.exclude(pk=blog.pk).get()
    response = client.get(reverse("wagtailadmin_explore", args=[nova_blog.pk]))
    assert response.status_code in (302, 403)


def test_an_article_opens_in_its_editor_from_the_explorer(stale_copy, client):  # noqa: F811
    client.force_login(user_of("Nova Health Recovery"))
    response = client.get(reverse("wagtailadmin_explore", args=[stale_copy.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[stale_copy.pk])
    # Another clinic's editor is not sent to its editor (Wagtail's own redirect applies).
    client.force_login(user_of("Three Rivers Wellness"))
    response = client.get(reverse("wagtailadmin_explore", args=[stale_copy.pk]))
    assert response.get("Location") != reverse("wagtailadmin_pages:edit", args=[stale_copy.pk])
