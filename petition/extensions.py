"""Unbound extension objects, bound to the app in ``create_app``."""

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from petition.models.base import Base
from petition.netaddr import client_address

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
mail = Mail()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared on the views that need them; nothing is limited by default.
limiter = Limiter(key_func=client_address, default_limits=[])


@login_manager.user_loader
def _load_user(user_id: str):
    from petition.models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
