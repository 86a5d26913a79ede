"""Step one of a destructive organizer action: say what it does, then offer the real button.

The confirmation is a page of its own at the action's URL (GET), whose form
posts back to that URL with the CSRF token: no native ``confirm()`` (the CSP
allows no inline script), and it works without JavaScript.
"""

from flask import render_template, request

from petition.forms import ActionForm


def confirm_step(question: str, explanation: list[str], button: str, cancel_url: str) -> str:
    """Render the confirmation page for the action at the current URL."""
    return render_template(
        "organizers/confirm.html",
        question=question,
        explanation=explanation,
        button=button,
        action_url=request.path,
        cancel_url=cancel_url,
        action=ActionForm(),
    )
