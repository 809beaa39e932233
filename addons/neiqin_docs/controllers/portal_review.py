"""The portal of job reviews: an employee with a portal account (or any
user) lists their feedback requests and answers them. Every route loads the
feedback through the visitor's own domain (their user, or their partner as
the employee's work contact): another employee's feedback by id is not
found."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

SCORES = ("1", "2", "3", "4", "5")
# A feedback's free texts are short notes, not documents.
MAX_TEXT = 5000


class JobReviewPortal(CustomerPortal):
    @staticmethod
    def _neiqin_feedback_domain():
        user = request.env.user
        return [
            "|",
            ("user_id", "=", user.id),
            ("partner_id", "=", user.partner_id.id),
            ("review_state", "in", ("open", "closed")),
        ]

    def _neiqin_my_feedback(self, feedback_id=None):
        """The visitor's feedback (``feedback_id``'s only, when given), with
        sudo: found by the visitor's own user and contact, then the id asked
        is looked for among them."""
        # sudo: a portal user has no right on feedback; the domain is the
        # visitor's own (their user or their contact), never the id sent.
        mine = (
            request.env["neiqin.job.review.feedback"].sudo().search(self._neiqin_feedback_domain())
        )
        if feedback_id is None:
            return mine
        return mine.filtered(lambda feedback: feedback.id == feedback_id)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "job_review_count" in counters:
            values["job_review_count"] = len(
                self._neiqin_my_feedback().filtered(lambda f: f.state == "pending")
            )
        return values

    @http.route("/my/job-reviews", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_job_reviews(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"feedbacks": self._neiqin_my_feedback(), "page_name": "job_reviews"})
        return request.render("neiqin_docs.portal_my_job_reviews", values)

    def _neiqin_render_feedback(self, feedback, error=None, answers=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "feedback": feedback,
                "page_name": "job_review",
                "error": error,
                "answers": answers or {},
                "scores": SCORES,
            }
        )
        return request.render("neiqin_docs.portal_job_review_feedback", values)

    @http.route(
        "/my/job-reviews/<int:feedback_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_job_review_feedback(self, feedback_id, **kw):
        feedback = self._neiqin_my_feedback(feedback_id)
        if not feedback:
            raise NotFound()
        return self._neiqin_render_feedback(feedback)

    @http.route(
        "/my/job-reviews/<int:feedback_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_job_review_submit(self, feedback_id, **post):
        """Record and submit the visitor's answers (CSRF-checked POST)."""
        feedback = self._neiqin_my_feedback(feedback_id)
        if not feedback:
            raise NotFound()
        answers = {
            "workload": post.get("workload"),
            "clarity": post.get("clarity"),
            "keep_text": (post.get("keep_text") or "").strip()[:MAX_TEXT],
            "change_text": (post.get("change_text") or "").strip()[:MAX_TEXT],
        }
        env = request.env
        if answers["workload"] not in SCORES or answers["clarity"] not in SCORES:
            error = env._("Rate the workload and the clarity of the duties (1 to 5) first.")
            return self._neiqin_render_feedback(feedback, error=error, answers=answers)
        try:
            # The visitor's own feedback (above); their answers are
            # checked by the submission itself (open review, not yet
            # submitted).
            with env.cr.savepoint():
                feedback._neiqin_submit(answers)
        except (UserError, ValidationError) as exc:
            return self._neiqin_render_feedback(feedback, error=exc.args[0], answers=answers)
        return request.redirect(f"/my/job-reviews/{feedback.id}?submitted=1")
