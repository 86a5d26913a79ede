from flask import current_app, render_template

from petition.caching import public_page
from petition.privacy import bp


@bp.get("/privacy")
@public_page
def show():
    return render_template(
        "privacy/show.html", retention_days=current_app.config["PETITION_RETENTION_DAYS"]
    )
