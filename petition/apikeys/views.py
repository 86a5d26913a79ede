"""The account page where an organizer makes and revokes API keys.

A new key is shown in the response to the POST that made it, once: it is
never put in the session, a flash message or a URL.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.apikeys import bp, keys
from petition.apikeys.forms import ApiKeyForm
from petition.forms import ActionForm
from petition.transactions import refused


def _page(form: ApiKeyForm, new_token: str | None = None, status: int = 200):
    return (
        render_template(
            "apikeys/keys.html",
            form=form,
            keys=keys.active_keys(current_user),
            new_token=new_token,
            action=ActionForm(),
        ),
        status,
    )


@bp.route("/dashboard/account/api-keys", methods=["GET", "POST"])
@login_required
def api_keys():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    try:
        made = keys.create_key(current_user, form.name.data)
    except keys.TooManyKeys:
        return refused(
            f"You already have {keys.MAX_ACTIVE_KEYS} keys; revoke one first.",
            url_for("apikeys.api_keys"),
        )
    # The key's id and name only: never its token, nor even its prefix.
    audit.record(current_user, "apikey.create", key_id=made.key.id, name=made.key.name)
    return _page(ApiKeyForm(formdata=None), new_token=made.token)


@bp.post("/dashboard/account/api-keys/<id:key_id>/revoke")
@login_required
def revoke(key_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not keys.revoke_key(current_user, key_id):
        abort(404)  # another organizer's key looks like no key at all
    audit.record(current_user, "apikey.revoke", key_id=key_id)
    flash("Key revoked: it stops working at once.", "success")
    return redirect(url_for("apikeys.api_keys"), code=303)
