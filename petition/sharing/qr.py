"""QR codes for posters, as inline SVG that prints sharp at any size."""

import segno
from flask_babel import gettext as _


def svg(url: str) -> str:
    """Return an <svg> element encoding ``url``, sized by CSS (class ``poster-qr``)."""
    # Error level M survives a crease or a smudge on a flyer; the quiet zone
    # (border of 4 modules) is what phone scanners need to find the code.
    code = segno.make(url, error="m", micro=False)
    element = code.svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="poster-qr",
        title=_("QR code for %(url)s", url=url),
    )
    return element.replace("<svg ", '<svg role="img" ', 1)
