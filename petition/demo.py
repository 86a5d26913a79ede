"""Demo campaigns, written for this project.

The campaigns are aimed at real offices and, where the movement's campaigns
were, at real office-holders, but no text here attributes a pledge, statement
or quote to any real person. Demo signers are fictional, at example.org.
"""

import random
from datetime import timedelta

from sqlalchemy import select

from petition import counts
from petition.clock import now
from petition.demo_records import add_demo_record
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Campaign, CampaignStatus, Signature, Target

DEMO_CAMPAIGNS = [
    {
        "slug": "new-orleans-protect-pregnant-people",
        "title": "New Orleans DA candidates: never prosecute pregnancy outcomes",
        "goal": 5000,
        "signers": 180,
        "zip": "701",
        "target": (
            "Every candidate for Orleans Parish District Attorney",
            "Orleans Parish District Attorney (candidates)",
            "New Orleans, LA",
        ),
        "demand": (
            "We are New Orleans voters, parents and neighbors. Whoever becomes our next "
            "District Attorney will decide whether pregnant people in this city are "
            "treated as patients or as suspects.\n\n"
            "**We ask every candidate to commit, on the record, before election day:**\n\n"
            "1. Never charge anyone for the outcome of their pregnancy, including "
            "miscarriage and stillbirth.\n"
            "2. Never use a positive drug test during pregnancy as grounds for a charge.\n"
            "3. Publish the office's policy so that doctors and nurses know they can "
            "treat patients without fear.\n\n"
            "Voters deserve to know where each candidate stands. Silence is an answer too."
        ),
    },
    {
        "slug": "dallas-end-money-bail",
        "title": "Dallas County DA: return bail-industry money and end money bail",
        "goal": 10000,
        "signers": 240,
        "zip": "752",
        "target": ("Faith Johnson", "Dallas County District Attorney", "Dallas, TX"),
        "demand": (
            "Every night in Dallas County, people who have not been convicted of anything "
            "sit in jail because they cannot afford bail, while people with money go home.\n\n"
            "We call on the Dallas County District Attorney to:\n\n"
            "- **Return** any campaign contributions from the commercial bail industry, "
            "which profits from keeping money bail in place;\n"
            "- **Stop requesting** money bail in misdemeanor cases;\n"
            "- **Report** publicly, every quarter, how many people are held pretrial "
            "because they could not pay.\n\n"
            "Freedom should not depend on the size of a bank account."
        ),
    },
    {
        "slug": "chicago-accountability-for-police-cover-ups",
        "title": "Cook County State's Attorney: accountability for police cover-ups",
        "goal": 20000,
        "signers": 320,
        "zip": "606",
        "target": ("Anita Alvarez", "Cook County State's Attorney", "Chicago, IL"),
        "demand": (
            "When police officers kill or injure people in Chicago, families wait months "
            "or years for answers, and too often never get them.\n\n"
            "We demand that the Cook County State's Attorney:\n\n"
            "1. Decide on charges in every police shooting within a published deadline, "
            "and explain every decision in writing;\n"
            "2. Refer every case of falsified police reports for prosecution;\n"
            "3. Support an independent special prosecutor wherever the office's close "
            "working relationship with police creates a conflict.\n\n"
            "No one is above the law, including the people sworn to enforce it."
        ),
    },
    {
        "slug": "orlando-no-death-penalty",
        "title": "Orlando State Attorney: do not seek the death penalty",
        "time_zone": "America/New_York",  # the others are Central, the default
        "goal": 5000,
        "signers": 150,
        "zip": "328",
        "target": (
            "Aramis Ayala",
            "State Attorney, Ninth Judicial Circuit",
            "Orange and Osceola Counties, FL",
        ),
        "demand": (
            "The death penalty is irreversible, it is imposed unequally, and it has "
            "condemned innocent people. It does not make our communities safer.\n\n"
            "We, residents of Orange and Osceola Counties, ask our State Attorney "
            "**not to seek the death penalty** in any case, and to put the savings "
            "toward services for the families of victims."
        ),
    },
    {
        "slug": "greenville-free-dontae-sharpe",
        "title": "Pitt County DA: support the release of Dontae Sharpe",
        "goal": 3000,
        "signers": 90,
        "zip": "278",
        "target": (
            "Kimberly Robb",
            "District Attorney, Pitt County",
            "Greenville, NC",
        ),
        "demand": (
            "Dontae Sharpe was falsely convicted of murder and has spent decades of his "
            "life in prison for a crime he did not commit.\n\n"
            "We call on the Pitt County District Attorney to **stop opposing his release**, "
            "to agree that his conviction be vacated, and to open the office's files on "
            "the case to review.\n\n"
            "Every day an innocent person stays in prison is another injustice."
        ),
    },
]

FIRST_NAMES = [
    "Alex",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Rowan",
    "Sage",
    "Devon",
    "Reese",
    "Skyler",
    "Emerson",
    "Harper",
]
LAST_NAMES = ["Demo", "Example", "Sample", "Placeholder", "Testperson", "Fictional"]


def load_demo() -> int:
    """Create the demo campaigns that are missing; return how many were created."""
    created = 0
    rng = random.Random(2026)  # the same demo every time
    for spec in DEMO_CAMPAIGNS:
        if db.session.scalar(select(Campaign.id).where(Campaign.slug == spec["slug"])):
            continue
        _create(spec, rng)
        created += 1
    db.session.flush()
    # The demo's signatures were added confirmed, in bulk: count them in.
    for campaign_id in db.session.scalars(select(Campaign.id)):
        counts.repair(campaign_id)
    load_demo_pledge()
    return created


def _create(spec: dict, rng: random.Random) -> None:
    moment = now()
    name, office, jurisdiction = spec["target"]
    campaign = Campaign(
        slug=spec["slug"],
        title=spec["title"],
        demand=spec["demand"],
        status=CampaignStatus.LIVE,
        signature_goal=spec["goal"],
        time_zone=spec.get("time_zone", "America/Chicago"),
        published_at=moment - timedelta(days=14),
        created_at=moment - timedelta(days=15),
        targets=[Target(position=0, name=name, office=office, jurisdiction=jurisdiction)],
    )
    db.session.add(campaign)
    for index in range(spec["signers"]):
        confirmed = moment - timedelta(minutes=rng.randint(1, 14 * 24 * 60))
        email = f"demo-{spec['slug'][:12]}-{index}@example.org"
        db.session.add(
            Signature(
                campaign=campaign,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=email,
                email_normalized=normalize_email(email),
                zip_code=f"{spec['zip']}{rng.randint(0, 99):02d}",
                show_publicly=rng.random() < 0.6,
                wants_updates=rng.random() < 0.5,
                created_at=confirmed - timedelta(minutes=5),
                confirmed_at=confirmed,
            )
        )


DEMO_ORGANIZER_EMAIL = "demo-organizer@example.org"
DEMO_PLEDGE_SLUG = "new-orleans-da-pledge"
DEMO_ELECTION_AGO = timedelta(days=140)
# Real ZIP codes of Orleans Parish, so the candidate page can count supporters in the race.
ORLEANS_ZIPS = (
    "70112 70113 70114 70115 70116 70117 70118 70119 70122 70124 70125 70126 70127 "
    "70128 70129 70130 70131"
)


def load_demo_pledge() -> bool:
    """Create the New Orleans demo pledge if it is missing; return whether it was created.

    Its candidates are placeholders ("Candidate A (demo)") at example.org, and
    their statements are labelled as demo text: no real person is named.
    """
    from petition.models import Answer, Candidate, Pledge, PledgeResponse, ResponseSource, User

    if db.session.scalar(select(Pledge.id).where(Pledge.slug == DEMO_PLEDGE_SLUG)):
        return False
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.slug == "new-orleans-protect-pregnant-people")
    )
    if campaign is None:  # pragma: no cover - load_demo creates it first
        return False
    owner = db.session.scalar(
        select(User).where(User.email_normalized == normalize_email(DEMO_ORGANIZER_EMAIL))
    )
    if owner is None:
        # "!" is no hash werkzeug can match, and the account is unconfirmed:
        # nobody can log in as the demo organizer.
        owner = User(
            email=DEMO_ORGANIZER_EMAIL,
            email_normalized=normalize_email(DEMO_ORGANIZER_EMAIL),
            name="Demo organizer",
            password_hash="!",
        )
        db.session.add(owner)
    # The race as it stood shortly before its election day, which has passed:
    # the winner's promise record (petition.demo_records) follows it.
    moment = now() - DEMO_ELECTION_AGO - timedelta(days=10)
    pledge = Pledge(
        owner=owner,
        slug=DEMO_PLEDGE_SLUG,
        title="Orleans Parish DA candidates: never prosecute pregnancy outcomes",
        text=(
            "**I pledge that, as Orleans Parish District Attorney, I will not prosecute "
            "anyone for the outcome of their pregnancy**, including miscarriage and "
            "stillbirth, and will not treat a positive drug test during pregnancy as "
            "grounds for a charge.\n\n"
            "*Demo data: the candidates below are fictional placeholders.*"
        ),
        office="Orleans Parish District Attorney",
        jurisdiction="New Orleans, LA",
        election_date=(now() - DEMO_ELECTION_AGO).date(),
        jurisdiction_zips=ORLEANS_ZIPS,
        campaign=campaign,
        owns_campaign=False,
        created_at=moment - timedelta(days=12),
    )
    db.session.add(pledge)

    def candidate(letter: str, party: str, invited_days_ago: int | None, contacts: int):
        invited = moment - timedelta(days=invited_days_ago) if invited_days_ago else None
        row = Candidate(
            name=f"Candidate {letter} (demo)",
            party=party,
            email=f"candidate-{letter.lower()}@example.org",
            first_invited_at=invited,
            last_contacted_at=invited + timedelta(days=contacts - 1) if invited else None,
            contact_count=contacts if invited else 0,
        )
        pledge.candidates.append(row)
        return row

    def said(row, answer, days_ago, statement=None, **source):
        row.responses.append(
            PledgeResponse(
                answer=answer,
                statement=statement,
                source=ResponseSource.ORGANIZER if source else ResponseSource.CANDIDATE,
                answered_at=moment - timedelta(days=days_ago),
                created_at=moment - timedelta(days=days_ago),
                recorded_by=owner if source else None,
                **source,
            )
        )

    a = candidate("A", "Demo Party", 11, 1)
    said(a, Answer.PLEDGED, 9, "(Demo statement) Pregnant people need doctors, not prosecutors.")
    b = candidate("B", "Example Party", 11, 2)
    said(b, Answer.PLEDGED, 8, "(Demo statement) I support this pledge.")
    said(b, Answer.DECLINED, 2, "(Demo statement) I have reconsidered and withdraw.")
    c = candidate("C", "Sample Party", 11, 2)
    said(
        c,
        Answer.DECLINED,
        5,
        "(Demo statement) Every case should be judged on its facts.",
        source_description="Fictional candidate forum (demo data)",
    )
    candidate("D", "nonpartisan", 11, 3)
    candidate("E", "Demo Party", None, 0)
    db.session.flush()
    add_demo_record(pledge, winner=a, owner=owner)
    return True
