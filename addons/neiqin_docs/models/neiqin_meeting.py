from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group


class NeiqinMeeting(models.Model):
    """Operations meeting (运营会议): agenda, minutes, decisions and the
    action items that follow it. Publishing the minutes turns every open
    item into an activity of its owner and starts it in the follow-up
    process; closing the meeting files its minutes in the archive."""

    _name = "neiqin.meeting"
    _description = "Operations meeting"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    organizer_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    attendee_ids = fields.Many2many(
        "res.users",
        "neiqin_meeting_attendee_rel",
        "meeting_id",
        "user_id",
        string="Attendees",
        domain="[('share', '=', False)]",
    )
    agenda = fields.Text()
    minutes = fields.Html()
    decisions = fields.Text(help="The decisions taken, one per line.")
    action_ids = fields.One2many("neiqin.meeting.action", "meeting_id", string="Action Items")
    state = fields.Selection(
        [("draft", "Draft"), ("held", "Minutes Published"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    held_at = fields.Datetime(string="Minutes Published On", readonly=True, copy=False)
    closed_at = fields.Datetime(string="Closed On", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    archive_document_id = fields.Many2one(
        "neiqin.archive.document", string="Filed Minutes", readonly=True, copy=False
    )
    action_open_count = fields.Integer(string="Open Actions", compute="_compute_action_counts")
    action_done_count = fields.Integer(string="Done Actions", compute="_compute_action_counts")
    action_late_count = fields.Integer(string="Late Actions", compute="_compute_action_counts")
    action_progress = fields.Float(
        string="Progress",
        compute="_compute_action_counts",
        help="Share of the action items done (cancelled items left out), in percent.",
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "held_at", "closed_at"}

    @api.depends("action_ids.state", "action_ids.deadline")
    def _compute_action_counts(self):
        """One grouped query for every meeting shown."""
        counts = {}
        if self.ids:
            Action = self.env["neiqin.meeting.action"]
            for meeting, state, count in Action._read_group(
                [("meeting_id", "in", self.ids), ("state", "in", ("open", "done"))],
                ["meeting_id", "state"],
                ["__count"],
            ):
                counts.setdefault(meeting.id, {"open": 0, "done": 0, "late": 0})[state] = count
            today = fields.Date.context_today(self)
            for meeting, count in Action._read_group(
                [("meeting_id", "in", self.ids), ("state", "=", "open"), ("deadline", "<", today)],
                ["meeting_id"],
                ["__count"],
            ):
                counts[meeting.id]["late"] = count
        for meeting in self:
            bucket = counts.get(meeting.id, {"open": 0, "done": 0, "late": 0})
            meeting.action_open_count = bucket["open"]
            meeting.action_done_count = bucket["done"]
            meeting.action_late_count = bucket["late"]
            total = bucket["open"] + bucket["done"]
            meeting.action_progress = 100.0 * bucket["done"] / total if total else 0.0

    # ------------------------------------------------------------------ rights
    def _check_organizer(self, what):
        """The organizer or a lead runs the meeting's steps."""
        if self.env.su or self.env.user.has_group("neiqin_base.group_neiqin_lead"):
            return
        others = self.filtered(lambda m: m.organizer_id != self.env.user)
        if others:
            require_group(
                self.env,
                "neiqin_base.group_neiqin_lead",
                self.env._(
                    "Only the organizer or a lead can %(what)s: %(meetings)s.",
                    what=what,
                    meetings=", ".join(others.mapped("name")),
                ),
            )

    def write(self, vals):
        if "organizer_id" in vals:
            self._check_organizer(self.env._("hand the meeting over"))
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_publish_minutes(self):
        """Publish the minutes: every open action item becomes an activity
        of its owner, due on its deadline, and enters the follow-up process."""
        self._check_organizer(self.env._("publish the minutes"))
        wrong = self.filtered(lambda m: m.state != "draft")
        if wrong:
            raise UserError(
                self.env._(
                    "The minutes of these meetings are already published: %s",
                    ", ".join(wrong.mapped("name")),
                )
            )
        empty = self.filtered(lambda m: not m.minutes or not m.minutes.striptags().strip())
        if empty:
            raise UserError(
                self.env._(
                    "Write the minutes before publishing them: %s",
                    ", ".join(empty.mapped("name")),
                )
            )
        with engine_writes():
            self.write({"state": "held", "held_at": fields.Datetime.now()})
        self.action_ids._neiqin_follow_up()
        return True

    def action_close(self):
        """Close the meeting and file its minutes in the archive (会议纪要)."""
        self._check_organizer(self.env._("close the meeting"))
        wrong = self.filtered(lambda m: m.state != "held")
        if wrong:
            raise UserError(
                self.env._(
                    "Publish the minutes before closing these meetings: %s",
                    ", ".join(wrong.mapped("name")),
                )
            )
        with engine_writes():
            self.write({"state": "closed", "closed_at": fields.Datetime.now()})
        self.env["neiqin.archive.document"]._neiqin_file(
            self, "neiqin_docs.archive_category_minutes"
        )
        return True

    def action_view_archive_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "neiqin.archive.document",
            "res_id": self.archive_document_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ filing
    def _neiqin_archive_values(self):
        """What the archive keeps of each meeting: its minutes, its
        decisions and the state of its action items."""
        result = {}
        states = dict(
            self.env["neiqin.meeting.action"]._fields["state"]._description_selection(self.env)
        )
        for meeting in self:
            values = {
                "minutes": meeting.minutes or "",
                "decisions": (meeting.decisions or "").splitlines(),
                "actions": [
                    {
                        "name": action.name,
                        "owner": action.owner_id.name,
                        "deadline": fields.Date.to_string(action.deadline),
                        "state": states.get(action.state),
                    }
                    for action in meeting.action_ids
                ],
            }
            content = self.env["ir.qweb"]._render(
                "neiqin_docs.archive_meeting_content", {"meeting": meeting, "values": values}
            )
            result[meeting.id] = {
                "name": self.env._("Minutes: %(meeting)s", meeting=meeting.name),
                "content": content,
                "kind": "minutes",
                "company_id": meeting.company_id.id,
            }
        return result

    def _neiqin_archive_filed(self, documents_by_id):
        """Hook called by the archive once these meetings are filed."""
        for meeting in self:
            meeting.archive_document_id = documents_by_id[meeting.id]
