"""Issue 9, finding 3: the admin API's images (and documents)"""

from tests.security.conftest import leaks, response_text


def test_the_admin_api_lists_only_images_the_editor_may_choose(as_nova, world):
    response = as_nova.get("/admin/api/main/images/")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {world.nova_image.pk, world.shared_image.pk}
    assert leaks(response_text(response)) == []
    detail = as_nova.get(f"/admin/api/main/images/{world.other_image.pk}/")
    assert detail.status_code == 404 and leaks(response_text(detail)) == []
    ours = as_nova.get(f"/admin/api/main/images/{world.nova_image.pk}/")
    assert ours.status_code == 200


def test_the_admin_api_lists_no_documents_the_editor_may_not_choose(as_nova, world):
    response = as_nova.get("/admin/api/main/documents/")
    assert leaks(response_text(response)) == []
    detail = as_nova.get(f"/admin/api/main/documents/{world.other_document.pk}/")
    assert detail.status_code == 404 and leaks(response_text(detail)) == []
