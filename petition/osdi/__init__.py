from flask import Blueprint

from petition.extensions import csrf

# The keyed organizer API (/api/v1/campaigns/<slug>/signatures) and OSDI
# (/api/osdi/v1/). Callers are tools with an API key, not browsers with a
# session: no CSRF token, and petition.apikeys.auth checks every request.
bp = Blueprint("organizer_api", __name__)
csrf.exempt(bp)
