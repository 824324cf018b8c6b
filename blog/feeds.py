"""An Atom feed of each clinic's blog (Django's syndication framework), at /feed/."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from blog.models import BlogIndexPage, ClinicArticlePage
from blog.resolution import effective_summary
from clinics.models import ClinicHomePage

FEED_SIZE = 20


class ClinicBlogFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        clinic = ClinicHomePage.for_request(request)
        blog = BlogIndexPage.objects.child_of(clinic).live().first() if clinic else None
        if blog is None:
            raise Http404
        self.request = request
        self.root = Site.find_for_request(request).root_url
        self.clinic = clinic
        return blog

    def title(self, blog):
        return f"{blog.title} | {blog.get_parent().title}"

    def subtitle(self, blog):
        return blog.intro or f"Articles from {blog.get_parent().title}"

    def link(self, blog):
        return blog.get_full_url(self.request)

    def feed_url(self, blog):
        return f"{self.root}/feed/"

    def items(self, blog):
        return ClinicArticlePage.objects.for_listing(blog)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return effective_summary(item, self.clinic)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        dates = [item.last_published_at, item.source.last_published_at if item.source_id else None]
        return max((d for d in dates if d), default=item.first_published_at)
