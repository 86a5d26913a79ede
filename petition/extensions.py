"""Unbound extension objects, bound to the app in ``create_app``."""

from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from petition.database import Session
from petition.models.base import Base

db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate(render_as_batch=True, compare_type=True)
mail = Mail()
csrf = CSRFProtect()
login_manager = LoginManager()


@login_manager.user_loader
def _load_user(user_id: str):
    from petition.auth.sessions import session_is_current
    from petition.models import User

    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    # A session from before a logout or password change is not a login any more.
    return user if user is not None and session_is_current(user) else None
