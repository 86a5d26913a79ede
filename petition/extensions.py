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
    from petition.models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
