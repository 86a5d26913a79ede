from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from petition import slugs
from petition.forms import (
    EmailAddress,
    LocalDayForm,
    PastDay,
    PlainText,
    SiteForm,
    TimeZoneField,
    WebAddress,
    WholeNumberField,
    collapse_newlines,
    strip,
)
from petition.localtime import local, local_today
from petition.models import Campaign
from petition.models.campaigns import DEFAULT_GOAL
from petition.organizers import services

MAX_TARGETS = 10


def lower(value: str | None) -> str | None:
    return value.lower() if value else value


class TargetForm(Form):
    """One person the demand is aimed at; a row left wholly blank is ignored."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[Length(max=120, message="Keep the name to 120 characters"), PlainText()],
    )
    office = StringField(
        "Office",
        filters=[strip],
        validators=[Length(max=160, message="Keep the office to 160 characters"), PlainText()],
    )
    jurisdiction = StringField(
        "Jurisdiction",
        filters=[strip],
        validators=[
            Length(max=160, message="Keep the jurisdiction to 160 characters"),
            PlainText(),
        ],
    )
    email = EmailField(
        "Email (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=254), PlainText(), EmailAddress()],
    )
    website = StringField(
        "Website (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message="Keep the web address to 500 characters"),
            WebAddress(),
        ],
    )

    @property
    def is_blank(self) -> bool:
        return not any(field.data for field in self)

    def validate_name(self, field: StringField) -> None:
        if not field.data and not self.is_blank:
            raise ValidationError("Enter the target’s name")

    def validate_office(self, field: StringField) -> None:
        if not field.data and not self.is_blank:
            raise ValidationError("Enter the target’s office, like District Attorney")

    def validate_jurisdiction(self, field: StringField) -> None:
        if not field.data and not self.is_blank:
            raise ValidationError("Enter the jurisdiction, like Orleans Parish, LA")


class CampaignForm(SiteForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired("Enter a title"),
            Length(max=200, message="Keep the title to 200 characters or fewer"),
            PlainText(),
        ],
    )
    slug = StringField(
        "Web address",
        filters=[strip, lower],
        validators=[Optional(), PlainText()],
    )
    demand = TextAreaField(
        "The demand",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Write the demand"),
            Length(max=20_000, message="Keep the demand to 20,000 characters or fewer"),
            PlainText(multiline=True),
        ],
    )
    targets = FieldList(FormField(TargetForm), min_entries=1, max_entries=MAX_TARGETS)
    signature_goal = WholeNumberField(
        "Signature goal",
        default=DEFAULT_GOAL,
        validators=[
            InputRequired(f"Enter a signature goal, like {DEFAULT_GOAL}"),
            NumberRange(1, 10_000_000, "Enter a goal between 1 and 10,000,000"),
        ],
    )
    closes_on = DateField("Closing date (optional)", validators=[Optional()])
    time_zone = TimeZoneField()
    zip_required = BooleanField("Signers must give a ZIP code", default=True)
    save = SubmitField("Save")
    preview = SubmitField("Preview")
    add_target = SubmitField("Add another target")

    def __init__(self, *args: object, campaign_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.campaign_id = campaign_id

    def validate_slug(self, field: StringField) -> None:
        if not field.data:
            return  # made from the title on save
        problem = slugs.problem(field.data)
        if problem:
            raise ValidationError(problem)
        if services.slug_taken(field.data, exclude_id=self.campaign_id):
            raise ValidationError(slugs.TAKEN)

    def validate_targets(self, field: FieldList) -> None:
        if all(entry.form.is_blank for entry in field):
            raise ValidationError("Add at least one target: who must act on this demand?")

    def validate_closes_on(self, field: DateField) -> None:
        today = local_today(self.time_zone.data)
        if field.data and field.data < today and field.object_data != field.data:
            raise ValidationError("Enter a closing date today or later")

    def details(self, campaign: Campaign | None) -> services.CampaignDetails:
        """Return what was submitted, ready for ``services.save_campaign``."""
        targets = [
            services.TargetDetails(
                name=entry.form.name.data,
                office=entry.form.office.data,
                jurisdiction=entry.form.jurisdiction.data,
                email=entry.form.email.data or None,
                website=entry.form.website.data or None,
            )
            for entry in self.targets
            if not entry.form.is_blank
        ]
        if services.slug_locked(campaign):
            slug = campaign.slug
        else:
            slug = self.slug.data or services.unique_slug(self.title.data)
        return services.CampaignDetails(
            title=self.title.data,
            slug=slug,
            demand=self.demand.data,
            targets=targets,
            signature_goal=self.signature_goal.data,
            closes_at=services.closing_moment(self.closes_on.data, self.time_zone.data),
            zip_required=self.zip_required.data,
            time_zone=self.time_zone.data,
        )

    def error_list(self) -> list[tuple[str, str]]:
        """Return (field id, message) for the error summary, targets included."""
        errors = []
        for field in self:
            if field.name == "targets":
                errors += [
                    (f"{field.id}", message) for message in field.errors if isinstance(message, str)
                ]
                for entry in field:
                    for sub in entry.form:
                        errors += [(sub.id, message) for message in sub.errors]
            elif field.name != "csrf_token":
                errors += [(field.id, message) for message in field.errors]
        return errors


def campaign_form_data(campaign: Campaign | None) -> dict:
    """Return the editor's starting values: the campaign as saved, or a blank draft."""
    if campaign is None:
        return {"signature_goal": DEFAULT_GOAL, "zip_required": True, "targets": [{}]}
    return {
        "title": campaign.title,
        "slug": campaign.slug,
        "demand": campaign.demand,
        "signature_goal": campaign.signature_goal,
        "closes_on": local(campaign.closes_at, campaign.time_zone).date()
        if campaign.closes_at
        else None,
        "zip_required": campaign.zip_required,
        "time_zone": campaign.time_zone,
        "targets": services.targets_snapshot(campaign) or [{}],
    }


class VictoryForm(SiteForm):
    story = TextAreaField(
        "The story of the win",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Tell signers what you won"),
            Length(max=4000, message="Keep the story to 4,000 characters or fewer"),
            PlainText(multiline=True),
        ],
    )


class DeliveryForm(LocalDayForm):
    delivered_on = DateField(
        "Date delivered",
        validators=[
            InputRequired("Enter the date, like 2026-03-03"),
            PastDay(
                future="Enter a date that is not in the future", too_early="Enter a date after 2000"
            ),
        ],
    )
    delivered_to = StringField(
        "Delivered to",
        filters=[strip],
        validators=[
            DataRequired("Enter who received the petition"),
            Length(max=200, message="Keep this to 200 characters or fewer"),
            PlainText(),
        ],
    )
    note = TextAreaField(
        "Note (optional)",
        filters=[strip, collapse_newlines],
        validators=[
            Optional(),
            Length(max=2000, message="Keep the note to 2,000 characters or fewer"),
            PlainText(multiline=True),
        ],
    )


class InviteForm(SiteForm):
    email = EmailField(
        "Their email address",
        filters=[strip],
        validators=[
            DataRequired("Enter their email address"),
            Length(max=254),
            PlainText(),
            EmailAddress(),
        ],
    )


class UpdateForm(SiteForm):
    subject = StringField(
        "Subject",
        filters=[strip],
        # PlainText refuses line breaks: the subject becomes a mail header.
        validators=[
            DataRequired("Enter a subject"),
            Length(max=200, message="Keep the subject to 200 characters or fewer"),
            PlainText(),
        ],
    )
    body = TextAreaField(
        "Message",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Write the update"),
            Length(max=20_000, message="Keep the update to 20,000 characters or fewer"),
            PlainText(multiline=True),
        ],
    )
    preview = SubmitField("Preview")
    send = SubmitField("Publish and email signers")


class RejectForm(SiteForm):
    reason = TextAreaField(
        "Reason (the organizers will see it)",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Say why, so the organizers can fix it"),
            Length(max=500, message="Keep the reason to 500 characters or fewer"),
            PlainText(multiline=True),
        ],
    )
