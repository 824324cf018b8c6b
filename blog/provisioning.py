"""Adding a clinic to the network: its Site, home page, editors and collection (the
tenant, `clinics.provisioning`) plus its blog, which carries the library's articles."""

from django.db import transaction

from blog.models import BlogIndexPage
from clinics.provisioning import create_clinic_site


@transaction.atomic
def create_clinic(*, title: str, hostname: str, port: int = 80, blog_title="Blog", **facts):
    """A clinic in one call: its home page, its Site, its blog, its group and collection."""
    clinic = create_clinic_site(title=title, hostname=hostname, port=port, **facts)
    blog = clinic.add_child(
        instance=BlogIndexPage(title=blog_title, slug="blog", show_in_menus=True)
    )
    blog.save_revision().publish()
    return clinic
