from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from blog.admin_scoping import admin_overrides

# A clinic editor's view of the admin is scoped to their clinic and the published
# library: where Wagtail has no hook for it, blog.admin_scoping's views answer in front
# of Wagtail's own, at the same paths. Wagtail's admin still ships inline scripts, so
# the strict public CSP is lifted there.
admin_urls = decorate_urlpatterns(
    [*admin_overrides, *wagtailadmin_urls.urlpatterns], csp_override({})
)

urlpatterns = [
    path("admin/", include(admin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_IMAGE_RENDITIONS:
    # `make demo` and `make audit` (DEBUG off, local media): the images' renditions, the
    # only media files pages link to. Documents keep Wagtail's view, which checks privacy.
    from cms.media import serve_rendition

    urlpatterns += [
        re_path(r"^media/images/(?P<path>[^/]+)$", serve_rendition, name="image_rendition")
    ]

# Per-domain files: each answers for the clinic whose Site serves the host.
from blog.feeds import ClinicBlogFeed  # noqa: E402
from clinics import views as clinic_views  # noqa: E402
from seo.sitemaps import ClinicSitemap  # noqa: E402

urlpatterns += [
    path("robots.txt", clinic_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": ClinicSitemap}}, name="sitemap"),
    path("feed/", ClinicBlogFeed(), name="blog_feed"),
    path("brand.css", clinic_views.brand_css, name="brand_css"),
    path("favicon.svg", clinic_views.favicon_svg, name="favicon_svg"),
    path("favicon.ico", clinic_views.favicon_ico, name="favicon_ico"),
    path("social-card.png", clinic_views.social_card, name="social_card"),
]

urlpatterns += [path("", include(wagtail_urls))]
