"""The organizer's webhook page: register and remove endpoints, read the delivery log.

A new endpoint's signing secret is shown in the response to the POST that
made it, once: never put in the session, a flash message or a URL.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.forms import ActionForm
from petition.transactions import abandon, refused
from petition.webhooks import bp, services, targets
from petition.webhooks.forms import EndpointForm


def _page(form: EndpointForm, new_secret: str | None = None, status: int = 200):
    endpoints = services.active_endpoints(current_user)
    return (
        render_template(
            "webhooks/endpoints.html",
            form=form,
            endpoints=endpoints,
            log=services.delivery_log(endpoints),
            new_secret=new_secret,
            action=ActionForm(),
        ),
        status,
    )


@bp.route("/dashboard/account/webhooks", methods=["GET", "POST"])
@login_required
def endpoints():
    form = EndpointForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    try:
        made = services.register_endpoint(current_user, form.url.data, form.chosen_events())
    except targets.TargetRefused as exc:
        abandon()
        form.url.errors = [str(exc)]
        return _page(form, status=422)
    except services.TooManyEndpoints as exc:
        return refused(f"{exc}.", url_for("webhooks.endpoints"))
    # Not the address: its path or query may carry the receiver's own secret.
    audit.record(
        current_user,
        "webhook.register",
        endpoint_id=made.endpoint.id,
        events=made.endpoint.event_list,
    )
    return _page(EndpointForm(formdata=None), new_secret=made.secret)


@bp.post("/dashboard/account/webhooks/<id:endpoint_id>/remove")
@login_required
def remove(endpoint_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not services.remove_endpoint(current_user, endpoint_id):
        abort(404)
    audit.record(current_user, "webhook.remove", endpoint_id=endpoint_id)
    flash("Endpoint removed: nothing more is sent to it.", "success")
    return redirect(url_for("webhooks.endpoints"), code=303)
