"""What a Spanish reader would meet: the English words left on a page or in a mail.

A page rendered in Spanish is read as a person reads it (text, plus the
attributes a screen reader or a link preview shows), and every word is
checked against a list of common English words that are not also Spanish.
Content organizers wrote stays as they wrote it, so tests that use this give
their demand, target and pledge Spanish text.
"""

import re
from html.parser import HTMLParser

SPANISH = {"Accept-Language": "es-US,es;q=0.9"}

# Common English words of this site's vocabulary that are not Spanish words too.
ENGLISH = frozenset(
    """
    the and you your our we with this that for of to is are was will be has have not
    from what who how why when there their they it its if do does did can cannot
    please thank thanks yes about see all any more back home page log sign signed
    signing signature signatures share shared email emails confirm confirmed demand
    demands pledge pledges pledged candidate candidates answer answers answered
    update updates read name address zip print poster copy link message messages
    victory victories delivered closed open day days hour hours ago people support
    supporters organizer organizers privacy skip main start next previous close show
    hide help problem enter check wrong fix send again sent withdraw unsubscribe chart
    week goal count live declined silent took took taken on at by or
    """.split()
)

_ADDRESS = re.compile(r"https?://\S+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")
_SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "aria-description"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in _SHOWN_ATTRIBUTES & attributes.keys():
            if tag == "meta" and attributes.get("name") in ("viewport", "robots"):
                continue
            if tag == "meta" and attributes.get("property", "").endswith(
                (":url", ":image", ":type")
            ):
                continue
            if tag == "meta" and attributes.get("name", "").startswith("twitter:card"):
                continue
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of a page as people meet it, attributes they see or hear included."""
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def english_words(text_or_html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Each English word in the page or text with a little of what surrounds it."""
    text = visible_text(text_or_html) if "<" in text_or_html else text_or_html
    text = _ADDRESS.sub(" ", text)  # a link shown as itself is an address, not prose
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower().strip("'")
        if word in ENGLISH and word not in allowed:
            found.append(text[max(0, match.start() - 30) : match.end() + 30])
    return found
