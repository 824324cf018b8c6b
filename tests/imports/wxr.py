"""WordPress export files (WXR 1.2) written from a generated network, one per clinic,
with the uploads folder beside them: as a WordPress site's Tools → Export would give."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.imports.corpus import Clinic, GeneratedPost, Network

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>{name}</title>
	<link>https://{host}</link>
	<description>Just another WordPress site</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://{host}</wp:base_site_url>
	<wp:base_blog_url>https://{host}</wp:base_blog_url>
	<wp:author>
		<wp:author_id>1</wp:author_id>
		<wp:author_login><![CDATA[editor]]></wp:author_login>
		<wp:author_email><![CDATA[editor@{host}]]></wp:author_email>
		<wp:author_display_name><![CDATA[{name} Editorial Team]]></wp:author_display_name>
	</wp:author>
"""
FOOTER = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Planted:
    """Items planted in one clinic's export that the importer must report."""

    unknown_type: bool = False
    missing_attachment: bool = False
    unsafe_html: bool = False


def attachment_id(name: str) -> int:
    return 5000 + int(name.split("-")[1].split(".")[0])


def post_html(post: GeneratedPost, clinic: Clinic, *, unsafe: bool = False) -> str:
    parts = []
    for kind, text in post.blocks:
        if kind == "heading":
            parts.append(f"<!-- wp:heading -->\n<h2>{escape(text)}</h2>\n<!-- /wp:heading -->")
        elif kind == "image":
            n = attachment_id(text)
            sized = text.replace(".png", "-300x300.png")  # a size WordPress made
            src = f"https://{clinic.host}/wp-content/uploads/2024/01/{sized}"
            parts.append(
                f'<!-- wp:image --><figure class="wp-block-image"><img src="{src}" '
                f'alt="Figure {n}" class="wp-image-{n}"/></figure><!-- /wp:image -->'
            )
        else:
            parts.append(f"<!-- wp:paragraph -->\n<p>{escape(text)}</p>\n<!-- /wp:paragraph -->")
    if unsafe:
        parts.insert(1, '<script>document.write("PAYLOAD-42")</script>')
        first = next(n for n, part in enumerate(parts) if "<p>" in part)
        parts[first] = parts[first].replace("<p>", '<p onclick="steal()">', 1)
        parts[0] = parts[0].replace("<h2>", '<h2 onmouseover="steal()">', 1)
    return "\n\n".join(parts)


def post_item(post: GeneratedPost, clinic: Clinic, *, unsafe: bool = False) -> str:
    meta = ""
    if post.featured:
        meta = (
            "<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>"
            f"<wp:meta_value><![CDATA[{attachment_id(post.featured)}]]></wp:meta_value></wp:postmeta>"
        )
    return f"""	<item>
		<title>{escape(post.title)}</title>
		<link>{post.link}</link>
		<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
		<dc:creator><![CDATA[editor]]></dc:creator>
		<guid isPermaLink="false">https://{clinic.host}/?p={post.post_id}</guid>
		<description></description>
		<content:encoded>{cdata(post_html(post, clinic, unsafe=unsafe))}</content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{post.post_id}</wp:post_id>
		<wp:post_date><![CDATA[{post.date} 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{post.date} 15:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[{post.slug}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<category domain="category" nicename="{post.topic}"
			><![CDATA[{post.topic.capitalize()}]]></category>
		{meta}
	</item>
"""


def attachment_item(name: str, clinic: Clinic) -> str:
    n = attachment_id(name)
    return f"""	<item>
		<title>{name.rsplit(".", 1)[0]}</title>
		<link>https://{clinic.host}/{name.rsplit(".", 1)[0]}/</link>
		<wp:post_id>{n}</wp:post_id>
		<wp:post_name><![CDATA[{name.rsplit(".", 1)[0]}]]></wp:post_name>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[https://{clinic.host}/wp-content/uploads/2024/01/{name}]]></wp:attachment_url>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>
			<wp:meta_value><![CDATA[2024/01/{name}]]></wp:meta_value>
		</wp:postmeta>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
			<wp:meta_value><![CDATA[Figure {n}]]></wp:meta_value>
		</wp:postmeta>
	</item>
"""


def other_item(post_id: int, post_type: str, status: str = "publish") -> str:
    return f"""	<item>
		<title>Not a post {post_id}</title>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:status><![CDATA[{status}]]></wp:status>
		<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
		<content:encoded><![CDATA[<p>Some words.</p>]]></content:encoded>
	</item>
"""


def write_exports(
    network: Network, folder: Path, clinics: list[Clinic]
) -> tuple[dict[str, Path], dict[str, Path], str | None]:
    """One export file and one uploads folder per clinic, in ``folder``; returns the
    files, the uploads folders and the name of the one image left missing.

    Planted: at every clinic a page, a menu item, a draft post and a post of an unknown
    type (a shop's "product"); in the first clinic's export, unsafe HTML in one post and
    one attachment whose file is missing from its uploads."""
    files, media = {}, {}
    missing = None
    for number, clinic in enumerate(clinics):
        uploads = folder / clinic.slug / "uploads"
        (uploads / "2024" / "01").mkdir(parents=True, exist_ok=True)
        posts = network.by_clinic(clinic.slug)
        names = sorted(
            {text for p in posts for kind, text in p.blocks if kind == "image"}
            | {p.featured for p in posts if p.featured}
        )
        if number == 0 and names:
            missing = names[0]
        for name in names:
            if name != missing or number:
                (uploads / "2024" / "01" / name).write_bytes(network.images[name])
        body = [HEADER.format(name=escape(clinic.name), host=clinic.host)]
        body.extend(attachment_item(name, clinic) for name in names)
        for n, post in enumerate(posts):
            body.append(post_item(post, clinic, unsafe=number == 0 and n == 0))
        body.append(other_item(9001, "page"))
        body.append(other_item(9002, "nav_menu_item"))
        body.append(other_item(9003, "post", status="draft"))
        body.append(other_item(9004, "product"))
        body.append(FOOTER)
        path = folder / f"{clinic.slug}.xml"
        path.write_text("".join(body), encoding="utf-8")
        files[clinic.slug] = path
        media[clinic.slug] = uploads
    return files, media, missing
