"""counts verify also recounts every pledge's tally from its responses."""

from datetime import timedelta

from petition.clock import now
from petition.extensions import db
from petition.models import Answer, PledgeResponse, ResponseSource
from petition.pledges import scoreboard

from .fixtures_pledges import answer, link_for


def record(app, candidate_id: int, choice: str, days_ago: int) -> None:
    with app.app_context():
        db.session.add(
            PledgeResponse(
                candidate_id=candidate_id,
                answer=choice,
                source=ResponseSource.ORGANIZER,
                source_description="Said so at a forum",
                answered_at=now() - timedelta(days=days_ago),
            )
        )
        db.session.commit()


def test_counts_verify_agrees_with_every_pledge_tally(app, client, runner, make_pledge):
    pledge = make_pledge(candidates=("Ana (test)", "Ben (test)", "Cal (test)"))
    ana, ben, _ = pledge.candidate_ids
    answer(client, link_for(app, ana), Answer.PLEDGED)
    record(app, ben, Answer.PLEDGED, days_ago=10)
    record(app, ben, Answer.DECLINED, days_ago=2)  # the latest answer stands
    make_pledge(candidates=())  # a pledge with nobody on it yet

    result = runner.invoke(args=["counts", "verify"])

    assert result.exit_code == 0, result.output
    assert "Every pledge tally matches its responses." in result.output


def test_counts_verify_reports_a_tally_that_does_not_match(
    app, client, runner, make_pledge, monkeypatch
):
    pledge = make_pledge(candidates=("Ana (test)", "Ben (test)"))
    answer(client, link_for(app, pledge.candidate_ids[0]), Answer.PLEDGED)
    real_build = scoreboard.build

    def oldest_answer_wins(pledge_row):  # a scoreboard bug, as the recount would catch it
        board = real_build(pledge_row)
        board.silent += board.pledged
        board.pledged = []
        return board

    monkeypatch.setattr(scoreboard, "build", oldest_answer_wins)
    result = runner.invoke(args=["counts", "verify"])

    assert result.exit_code == 1
    assert (
        f"pledge {pledge.slug}: shows 0 pledged, 0 declined, 2 silent; "
        "responses say 1 pledged, 0 declined, 1 silent"
    ) in result.output
