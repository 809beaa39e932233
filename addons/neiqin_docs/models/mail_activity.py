from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking the activity of a meeting's action item done marks the
        item done (the engine's overdue activities on it do not)."""
        items = self.env["neiqin.meeting.action"]
        if not self.env.context.get("neiqin_meeting_action_closing"):
            mine = self.filtered(lambda a: a.res_model == "neiqin.meeting.action")
            if mine:
                # Whoever may mark the activity done finds its item; closing
                # it is then checked as that user.
                items = (
                    items.sudo()
                    .search([("activity_id", "in", mine.ids), ("state", "=", "open")])
                    .with_env(self.env)
                )
                items._neiqin_check_may_close()
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if items:
            items._neiqin_mark_done()
        return result
