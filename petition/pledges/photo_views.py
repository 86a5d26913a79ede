"""Candidate photos: the organizer's upload page, and the photo served from this site.

Public pages never load a picture from another site; an uploaded photo is
re-encoded (petition.pledges.photos) and served from here, with initials
shown when there is none.
"""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from petition import audit
from petition.caching import sessionless
from petition.extensions import db
from petition.forms import ActionForm
from petition.models import CandidatePhoto
from petition.organizers import held_content
from petition.pledges import bp
from petition.pledges.access import candidate_for_organizer_or_404
from petition.pledges.forms import PhotoForm
from petition.pledges.photos import (
    PhotoRefused,
    photo_versions,
    public_photo,
    reencode,
    remove_photo,
    set_photo,
)

ONE_YEAR = 365 * 24 * 3600

PHOTO_PATH = "/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/photo"


@bp.url_value_preprocessor
def _photo_upload_limit(endpoint: str | None, values: dict | None) -> None:
    """Let the photo upload, and only it, send more than the site-wide 64 KiB.

    URL value preprocessors run before every ``before_request`` hook, so the
    limit is raised before the CSRF check first reads the body.
    """
    if endpoint == "pledges.manage_photo":
        request.max_content_length = current_app.config["PETITION_PHOTO_MAX_BYTES"]


@bp.route(PHOTO_PATH, methods=["GET", "POST"])
@login_required
def manage_photo(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            photo = set_photo(candidate, reencode(form.photo.data.read()))
        except PhotoRefused as exc:
            form.photo.errors.append(str(exc))
        else:
            held = held_content.hold_row(photo)
            audit.record(
                current_user,
                "pledge.upload_photo",
                pledge=candidate.pledge,
                candidate_id=candidate.id,
            )
            shown = held_content.WAITING if held else "The public page shows it now."
            flash(f"Photo of {candidate.name} saved. {shown}", "success")
            return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)
    return render_template(
        "pledges/manage/photo.html",
        form=form,
        remove=ActionForm(),
        pledge=candidate.pledge,
        candidate=candidate,
        photo_versions=photo_versions([candidate.id], include_held=True),
        photo_held=bool(held_content.held_photo_ids([candidate.id])),
        private_photos=True,
    ), 422 if form.is_submitted() else 200


@bp.post(f"{PHOTO_PATH}/remove")
@login_required
def manage_photo_remove(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if remove_photo(candidate):
        audit.record(
            current_user, "pledge.remove_photo", pledge=candidate.pledge, candidate_id=candidate.id
        )
        flash(f"Photo of {candidate.name} removed. Pages show initials instead.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.get(f"{PHOTO_PATH}/image")
@login_required
def manage_photo_image(pledge_id: int, candidate_id: int):
    """The photo for its organizers, also while the pledge page is not public yet."""
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    photo = db.session.get(CandidatePhoto, candidate.id)
    if photo is None:
        abort(404)
    response = _photo_response(photo)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/p/<slug:slug>/candidates/<id:candidate_id>/photo")
@sessionless
def candidate_photo(slug: str, candidate_id: int):
    """Serve a candidate's photo; with its current ``?v=``, caches may keep it for a year."""
    photo = public_photo(slug, candidate_id)
    if photo is None:
        abort(404)
    response = _photo_response(photo)
    response.cache_control.public = True
    if request.args.get("v") == photo.etag[:16]:
        # A new photo gets a new ?v=, so this URL's bytes never change.
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = current_app.config["PETITION_PAGE_MAX_AGE"]
    return response.make_conditional(request)


def _photo_response(photo: CandidatePhoto) -> Response:
    response = Response(photo.data, mimetype=photo.content_type)
    response.set_etag(photo.etag)
    response.last_modified = photo.updated_at
    return response
