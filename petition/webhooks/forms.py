from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from petition.forms import PlainText, SiteForm, strip
from petition.webhooks.events import EVENT_TYPES

EVENT_LABELS = {
    "signature.confirmed": "A signature is confirmed (signature.confirmed)",
    "signature.withdrawn": "A signature is withdrawn (signature.withdrawn)",
    "campaign.status_changed": "A demand's status changes (campaign.status_changed)",
    "pledge.answered": "A candidate answers a pledge (pledge.answered)",
    "count.milestone": "A demand's count reaches a milestone or its goal (count.milestone)",
    "campaign.answered": "A demand's target answers, or silence is recorded (campaign.answered)",
}


def field_name(event_type: str) -> str:
    return "event_" + event_type.replace(".", "_")


class EndpointForm(SiteForm):
    url = StringField(
        "Address that receives the events",
        filters=[strip],
        validators=[
            DataRequired("Enter the address, starting with https://"),
            Length(max=500, message="Enter an address of 500 characters or fewer"),
            PlainText(),
        ],
    )

    def chosen_events(self) -> list[str]:
        return [event for event in EVENT_TYPES if self[field_name(event)].data]

    def event_fields(self):
        return [self[field_name(event)] for event in EVENT_TYPES]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.chosen_events():
            self[field_name(EVENT_TYPES[0])].errors = ["Choose at least one event"]
            return False
        return valid


for _event in EVENT_TYPES:
    setattr(EndpointForm, field_name(_event), BooleanField(EVENT_LABELS[_event]))
