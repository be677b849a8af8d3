"""Checks shared by the report tests: well-formed HTML, no external URLs, embedded PNGs."""

import base64
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
EXTERNAL = [
    re.compile(r"https?://", re.IGNORECASE),
    re.compile(r"""(src|href)\s*=\s*["']?//""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?(?!data:)""", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
]


class TagChecker(HTMLParser):
    """Every non-void start tag is closed, in order; collects ids and <img> sources."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.ids = set()
        self.images = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "img":
            self.images.append(attributes)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.errors.append(f"</{tag}> at {self.getpos()} closes nothing")
            return
        opened, position = self.stack.pop()
        if opened != tag:
            self.errors.append(f"<{opened}> from {position} closed by </{tag}> at {self.getpos()}")

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [], checker.errors[:5]
    assert checker.stack == [], f"never closed: {checker.stack[:5]}"
    return checker


def assert_no_external_urls(html):
    for pattern in EXTERNAL:
        match = pattern.search(html)
        if match is not None:
            context = html[max(0, match.start() - 60) : match.end() + 60]
            raise AssertionError(f"external reference {match.group(0)!r} near {context!r}")


def decode_png(src):
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), src[:40]
    data = base64.b64decode(src[len(prefix) :], validate=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data
