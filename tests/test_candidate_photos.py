"""Candidate photos: uploaded by organizers, re-encoded, served from here, initials otherwise."""

import os
import re
import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, CandidatePhoto
from petition.pledges.photos import MAX_PIXELS, PhotoRefused, reencode

from .fixtures_accounts import log_in
from .helpers import csrf_token, post_form

GPS_IFD = 0x8825
MAKE, ORIENTATION = 0x010F, 0x0112


def jpeg_with_gps(size=(600, 300), orientation: int | None = None) -> bytes:
    """A phone-like JPEG: camera make, GPS position, maybe an orientation tag."""
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (29.0, 57.0, 3.0)  # latitude: New Orleans
    gps[3], gps[4] = "W", (90.0, 4.0, 30.0)
    out = BytesIO()
    Image.new("RGB", size, "navy").save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo has GPS"
    return data


def png(size=(64, 64), transparent=False, comment: str | None = None) -> bytes:
    out = BytesIO()
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    color = (200, 0, 0, 0) if transparent else (200, 0, 0, 255)
    Image.new("RGBA", size, color).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims ``width``×``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def gif() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 32), "green").save(out, "GIF")
    return out.getvalue()


def noise_jpeg(side: int) -> bytes:
    out = BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def race(client, make_pledge):
    pledge = make_pledge(candidates=("Maria Lopez (test)", "Sam Doe (test)"))
    log_in(client, pledge.owner)
    return pledge


def photo_page(race, candidate: str = "Maria Lopez (test)") -> str:
    return f"{race.manage_url}/candidates/{race.candidates[candidate]}/photo"


def upload(client, race, data: bytes, filename: str = "photo.jpg", **kwargs):
    page = photo_page(race, **kwargs)
    return post_form(client, page, page, {"photo": (BytesIO(data), filename)})


def stored_photos(app) -> list[CandidatePhoto]:
    with app.app_context():
        rows = list(db.session.scalars(select(CandidatePhoto)))
        db.session.expunge_all()
        return rows


def public_photo_url(client, race) -> str:
    page = client.get(race.url).get_data(as_text=True)
    [src] = re.findall(r'<img class="avatar avatar-photo" src="([^"]+)"', page)
    return src.replace("&amp;", "&")


def test_a_jpeg_comes_back_upright_within_400_pixels_and_without_its_exif(app, client, race):
    # Orientation 6: the camera was turned, so the upright photo is 300 wide, 600 tall.
    response = upload(client, race, jpeg_with_gps(orientation=6))

    assert response.status_code == 303
    served = client.get(public_photo_url(client, race))
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    image = Image.open(BytesIO(served.data))
    assert image.format == "JPEG"
    assert image.size == (200, 400)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert b"TestCam" not in served.data


def test_a_png_with_transparency_stays_a_png_without_its_text(app, client, race):
    response = upload(client, race, png(transparent=True, comment="home: 12 Elm St"), "me.png")

    assert response.status_code == 303
    [photo] = stored_photos(app)
    assert photo.content_type == "image/png"
    image = Image.open(BytesIO(photo.data))
    assert image.format == "PNG" and image.mode == "RGBA"
    assert b"Elm St" not in photo.data and "Comment" not in image.info


def test_an_opaque_png_is_stored_as_a_smaller_jpeg(app, client, race):
    assert upload(client, race, png(size=(900, 600)), "portrait.png").status_code == 303

    [photo] = stored_photos(app)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 400, 267)


def mpo(first: str = "red", second: str = "blue", size=(600, 300)) -> bytes:
    """A multi-picture JPEG, as phones with two cameras write them."""
    out = BytesIO()
    Image.new("RGB", size, first).save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", size, second)]
    )
    assert Image.open(BytesIO(out.getvalue())).format == "MPO"
    return out.getvalue()


def test_a_multi_picture_jpeg_is_stored_as_its_first_picture(app, client, race):
    response = upload(client, race, mpo(first="red", second="blue"))

    assert response.status_code == 303
    [photo] = stored_photos(app)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 400, 200)
    image = Image.open(BytesIO(photo.data))
    assert image.format == "JPEG"
    red, green, blue = image.convert("RGB").getpixel((200, 100))
    assert red > 200 and blue < 60


def test_a_format_pillow_reports_that_we_do_not_expect_is_a_refusal(monkeypatch):
    from petition.pledges import photos

    monkeypatch.setattr(photos, "KINDS", {"PNG": "PNG"})
    with pytest.raises(PhotoRefused, match="JPEG or PNG"):
        reencode(mpo())


def test_unusual_png_modes_are_converted_or_refused_never_a_crash():
    for mode, color in (("I;16", 30000), ("1", 1), ("LA", (10, 128)), ("P", 3), ("CMYK", 0)):
        out = BytesIO()
        image = Image.new(mode, (20, 10), color)
        if mode == "CMYK":
            image.save(out, "JPEG")
        else:
            image.save(out, "PNG")
        try:
            photo = reencode(out.getvalue())
        except PhotoRefused:
            continue
        assert Image.open(BytesIO(photo.data)).size == (20, 10)


def test_the_format_is_what_the_bytes_are_not_what_the_name_says(app, client, race):
    assert upload(client, race, png(), "campaign-portrait.gif").status_code == 303
    assert len(stored_photos(app)) == 1


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (gif(), "photo.jpg", "Upload a JPEG or PNG photo"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "a.svg",
            "JPEG or PNG",
        ),
        (b"just some text, not a picture", "photo.png", "Upload a JPEG or PNG photo"),
        (jpeg_with_gps()[:400], "cut-off.jpg", "could not be read as a photo"),
        (b"", "empty.jpg", ""),
    ],
    ids=["gif", "svg", "text", "truncated jpeg", "empty"],
)
def test_anything_but_a_readable_jpeg_or_png_is_refused_and_nothing_stored(
    app, client, race, data, filename, message
):
    response = upload(client, race, data, filename)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert stored_photos(app) == []


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        # Past our limit, under Pillow's: refused by the size the header declares.
        (10_000, 6_000, "10,000×6,000 pixels: too large"),
        # A PNG is decoded in full, so its budget is smaller than a JPEG's.
        (5_000, 4_000, "at most 16 megapixels as a PNG"),
        # Far past Pillow's own limit: Image.open refuses it, and so do we.
        (60_000, 60_000, "That image is too large"),
    ],
)
def test_a_small_png_claiming_a_huge_image_is_refused_before_decoding(
    app, client, race, width, height, message
):
    bomb = png_claiming(width, height)
    assert len(bomb) < 1000

    response = upload(client, race, bomb, "bomb.png")

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_pillows_own_bomb_limit_is_also_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(PhotoRefused, match="too large"):
        reencode(png(size=(100, 100)))

    # Our own limits are checked first, below the size where Pillow starts warning.
    monkeypatch.undo()
    assert max(MAX_PIXELS.values()) < Image.MAX_IMAGE_PIXELS


def test_an_upload_over_the_limit_gets_the_413_page_and_stores_nothing(app, client, race):
    # Kept under 500 KB, so the test client holds the body in memory.
    app.config["PETITION_PHOTO_MAX_BYTES"] = 100_000
    big = noise_jpeg(300)
    assert 100_000 < len(big) < 500_000

    response = upload(client, race, big)

    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_a_photo_larger_than_other_forms_may_send_is_accepted_here(app, client, race):
    photo = noise_jpeg(250)
    assert app.config["MAX_CONTENT_LENGTH"] < len(photo) < 500_000

    assert upload(client, race, photo).status_code == 303
    assert len(stored_photos(app)) == 1
    # Only this route: the candidate's details form still refuses such a body.
    edit = photo_page(race).replace("/photo", "/edit")
    assert post_form(client, edit, edit, {"photo": (BytesIO(photo), "a.jpg")}).status_code == 413


def test_an_upload_without_the_csrf_token_is_refused(app, client, race):
    response = client.post(photo_page(race), data={"photo": (BytesIO(png()), "a.png")})

    assert response.status_code == 400
    assert stored_photos(app) == []


def test_the_pledge_page_shows_the_photo_with_alt_text_and_initials_otherwise(client, race):
    upload(client, race, png(), "maria.png")
    anonymous = client.application.test_client()

    page = anonymous.get(race.url).get_data(as_text=True)

    assert re.search(
        r'<img class="avatar avatar-photo" src="/p/[^"]+/candidates/\d+/photo\?v=[0-9a-f]{16}" '
        r'alt="Photo of Maria Lopez \(test\)"',
        page,
    )
    assert '<span class="avatar" aria-hidden="true">SD</span>' in page  # Sam Doe: no photo
    assert '<span class="avatar" aria-hidden="true">ML</span>' not in page


def test_the_photo_is_served_sessionless_cached_for_a_year_and_revalidated(client, race):
    upload(client, race, png(), "maria.png")
    url = public_photo_url(client, race)

    served = client.get(url)

    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in served.headers
    assert "Cookie" not in served.headers.get("Vary", "")
    again = client.get(url, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    stale = client.get(url.split("?")[0] + "?v=0000000000000000")
    assert stale.status_code == 200
    assert "immutable" not in stale.headers["Cache-Control"]


def test_a_new_photo_gets_a_new_address(client, race):
    upload(client, race, png(), "first.png")
    first = public_photo_url(client, race)
    upload(client, race, jpeg_with_gps(), "second.jpg")

    assert public_photo_url(client, race) != first


def test_removing_the_photo_brings_the_initials_back(app, client, race):
    upload(client, race, png(), "maria.png")
    url = public_photo_url(client, race)
    page = photo_page(race)

    response = client.post(f"{page}/remove", data={"csrf_token": csrf_token(client, page)})

    assert response.status_code == 303
    assert stored_photos(app) == []
    assert '<span class="avatar" aria-hidden="true">ML</span>' in client.get(race.url).get_data(
        as_text=True
    )
    assert client.get(url).status_code == 404


def test_a_photo_is_not_public_while_its_pledge_page_is_not(app, client, race):
    upload(client, race, png(), "maria.png")
    url = public_photo_url(client, race)
    with app.app_context():
        db.session.get(Campaign, race.campaign_id).status = CampaignStatus.PENDING
        db.session.commit()

    assert client.get(url).status_code == 404
    organizer_page = client.get(race.manage_url).get_data(as_text=True)
    [private] = re.findall(r'<img class="avatar avatar-photo" src="([^"]+)"', organizer_page)
    served = client.get(private.replace("&amp;", "&"))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]


def test_a_photo_of_another_pledges_candidate_is_not_found_under_this_pledge(
    client, race, make_pledge
):
    upload(client, race, png(), "maria.png")
    other = make_pledge()
    url = public_photo_url(client, race).replace(race.slug, other.slug)

    assert client.get(url).status_code == 404
