from odoo import api, models
from odoo.tools.sql import create_index

# The open steps of tickets, by deadline: what the overdue scan reads.
OPEN_DEADLINE_INDEX = "helpdesk_ticket_neiqin_open_step_deadline_idx"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def init(self):
        result = super().init()
        # A partial index: a desk keeps a small share of its tickets open,
        # and the scan looks at those only (a full index on the deadline
        # would also hold every closed ticket's).
        create_index(
            self.env.cr,
            OPEN_DEADLINE_INDEX,
            self._table,
            ["neiqin_step_deadline_at"],
            where="neiqin_step_state = 'open'",
        )
        return result

    @api.model
    def _neiqin_overdue_tickets(self, limit=None):
        """The tickets whose current step is past its deadline, the most
        overdue first: one query on the open steps' deadline index, whatever
        the number of tickets."""
        return self.search(
            [("neiqin_step_is_overdue", "=", True)],
            order="neiqin_step_deadline_at, id",
            limit=limit,
        )
