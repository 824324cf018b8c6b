"""The demo network's public pages, one of each template, by path (the same on both
clinics). Django-free, so the audit script reads it without setting Django up."""

DEMO_PAGES: dict[str, str | None] = {
    "home": "/",
    "blog": "/blog/",
    "article": "/blog/what-causes-ptsd/",
    "topic": "/blog/topics/ptsd/",
    "team": "/team/",
    "member": None,  # the clinic's first team member: their slugs differ per clinic
    "person": "/people/dana-whitfield/",
    "location": "/contact/",
    "search": "/search/?q=ptsd",
    "404": "/no-such-page/",
}
