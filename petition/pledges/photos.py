"""Candidate photos: re-encode an upload with Pillow, store it, remove it, find versions.

Nothing an organizer uploads is served as sent. The decoder is chosen by what
the bytes are, JPEG or PNG only (never by the filename or the browser's
content type); the declared size is checked before a pixel is decoded, so a
small file claiming a huge image (a decompression bomb) costs nothing; the
image is turned upright, shrunk to fit 400×400 and written anew, which drops
EXIF (GPS position, camera serial), ICC profiles and text chunks.
"""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from petition.clock import now
from petition.extensions import db
from petition.models import Candidate, CandidatePhoto
from petition.transactions import DomainError

MAX_SIDE = 400
# Refused before decoding. A JPEG is decoded at 1/2 to 1/8 scale (its DCT
# allows it), so a 48-megapixel phone photo (8000×6000) costs little; a PNG
# is decoded in full, 4 bytes a pixel, so it gets a smaller budget (64 MB).
# Both sit under Pillow's own bomb warning (about 89 million pixels).
MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 16_000_000}
MAX_DIMENSION = 20_000
# What Pillow may report for bytes opened as JPEG or PNG: a phone's
# multi-picture JPEG (MPO) is a JPEG whose first picture is the photo.
KINDS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
JPEG_QUALITY = 85


class PhotoRefused(DomainError):
    """The upload is not a photo we can use; the message says what to do."""


@dataclass(frozen=True)
class EncodedPhoto:
    content_type: str
    data: bytes
    width: int
    height: int

    @property
    def etag(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def reencode(upload: bytes) -> EncodedPhoto:
    """Return ``upload`` re-encoded: at most 400×400, upright, without metadata.

    A PNG with transparency stays a PNG; everything else becomes a JPEG.
    Raises ``PhotoRefused`` for anything that is not a readable JPEG or PNG.
    """
    try:
        with Image.open(BytesIO(upload), formats=("JPEG", "PNG")) as image:
            kind = KINDS.get(image.format or "")
            if kind is None:
                raise PhotoRefused("Upload a JPEG or PNG photo")
            _check_size(image, kind)
            if kind == "JPEG":
                # Let the JPEG decoder scale by 1/2, 1/4 or 1/8 as it reads.
                image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            image.load()
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            return _encode(picture)
    except UnidentifiedImageError as exc:
        raise PhotoRefused("Upload a JPEG or PNG photo") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own check, in Image.open, for sizes far past ours (a warning
        # only where warnings are errors, as in the tests).
        raise PhotoRefused("That image is too large. Upload a smaller photo.") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # truncated, corrupt, odd modes
        raise PhotoRefused("That file could not be read as a photo. Try another file.") from exc


def _check_size(image: Image.Image, kind: str) -> None:
    """Refuse by the size the header declares, before a pixel is decoded."""
    width, height = image.size
    limit = MAX_PIXELS[kind]
    if width * height > limit or max(width, height) > MAX_DIMENSION:
        raise PhotoRefused(
            f"That image is {width:,}×{height:,} pixels: too large. Upload a smaller photo "
            f"(at most {limit // 1_000_000} megapixels as a {kind})."
        )


def _encode(picture: Image.Image) -> EncodedPhoto:
    """Write the pixels only: no EXIF, ICC profile or text chunk is carried over."""
    transparent = _has_transparency(picture)
    pixels = picture.convert("RGBA" if transparent else "RGB")
    # Some encoders copy what is left in ``info`` (PNG keeps an ICC profile).
    pixels.info.clear()
    out = BytesIO()
    if transparent:
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    content_type = "image/png" if transparent else "image/jpeg"
    return EncodedPhoto(content_type, out.getvalue(), pixels.width, pixels.height)


def _has_transparency(picture: Image.Image) -> bool:
    if picture.mode in ("RGBA", "LA", "PA"):
        return picture.getchannel("A").getextrema()[0] < 255
    return "transparency" in picture.info


def set_photo(candidate: Candidate, photo: EncodedPhoto) -> CandidatePhoto:
    """Store ``photo`` as the candidate's, replacing any earlier one."""
    row = db.session.get(CandidatePhoto, candidate.id)
    if row is None:
        row = CandidatePhoto(candidate_id=candidate.id)
        db.session.add(row)
    row.content_type = photo.content_type
    row.data = photo.data
    row.etag = photo.etag
    row.width, row.height = photo.width, photo.height
    row.updated_at = now()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # two uploads for one candidate at the same moment
        raise PhotoRefused("Another photo was uploaded at the same moment. Try again.") from exc
    return row


def remove_photo(candidate: Candidate) -> bool:
    """Delete the candidate's photo; False when there was none."""
    row = db.session.get(CandidatePhoto, candidate.id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def photo_versions(candidate_ids: list[int], *, include_held: bool = False) -> dict[int, str]:
    """Return {candidate id: photo version} for those with a photo, in one query.

    A photo held for a moderator counts only with ``include_held`` (the organizers' pages).
    """
    if not candidate_ids:
        return {}
    query = select(CandidatePhoto.candidate_id, CandidatePhoto.etag).where(
        CandidatePhoto.candidate_id.in_(candidate_ids)
    )
    if not include_held:
        query = query.where(CandidatePhoto.held_at.is_(None))
    rows = db.session.execute(query)
    return {candidate_id: etag[:16] for candidate_id, etag in rows}


def public_photo(pledge_slug: str, candidate_id: int) -> CandidatePhoto | None:
    """Return the photo of a candidate on a public pledge page, else None."""
    from petition.models import Campaign, Pledge
    from petition.pledges.public import PUBLIC_PLEDGE

    return db.session.scalar(
        select(CandidatePhoto)
        .join(Candidate, Candidate.id == CandidatePhoto.candidate_id)
        .join(Pledge, Pledge.id == Candidate.pledge_id)
        .join(Campaign, Campaign.id == Pledge.campaign_id)
        .where(
            CandidatePhoto.candidate_id == candidate_id,
            Pledge.slug == pledge_slug,
            PUBLIC_PLEDGE,
            CandidatePhoto.held_at.is_(None),
        )
    )
