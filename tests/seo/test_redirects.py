"""A changed slug leaves a redirect behind on that clinic's domain only."""

from wagtail.contrib.redirects.models import Redirect

from tests.factories import committed
from tests.seo.conftest import ARTICLE, NOVA, THREE_RIVERS, copy_of


def test_a_changed_slug_redirects_on_the_clinics_own_site(demo, client):
    copy = copy_of(demo["three_rivers"])
    copy.slug = "causes-of-ptsd"
    with committed():
        copy.save_revision().publish()

    redirect = Redirect.objects.get(old_path=ARTICLE.rstrip("/"))
    assert redirect.site == demo["three_rivers"].get_site()
    assert redirect.redirect_page_id == copy.pk and redirect.is_permanent

    response = client.get(ARTICLE, HTTP_HOST=THREE_RIVERS)
    assert response.status_code == 301
    assert response["Location"].endswith("/blog/causes-of-ptsd/")
    # Nova's copy kept its slug and is not redirected.
    assert client.get(ARTICLE, HTTP_HOST=NOVA).status_code == 200
