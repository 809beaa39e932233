from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import RepliesCase


@tagged("post_install", "-at_install")
class TestServiceFlow(RepliesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.step_consult = cls.env.ref("neiqin_aftersales.step_service_consult")
        cls.step_solve = cls.env.ref("neiqin_aftersales.step_service_solve")
        cls.ack = cls._reply_template("Hello {customer}, we got it.", name="Ack", sequence=90)
        cls.address = cls._reply_template("Send it to {return_address}", name="Address")
        cls.flow = cls.env["neiqin.service.flow"].create(
            {
                "name": "Returns",
                "service_type": "return",
                "line_ids": [
                    Command.create(
                        {
                            "step_id": cls.step_consult.id,
                            "instructions": "Ask for photos of the item.",
                            "reply_template_ids": [Command.set(cls.ack.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "step_id": cls.step_solve.id,
                            "instructions": "Create the return and send the address.",
                            "reply_template_ids": [Command.set(cls.address.ids)],
                        }
                    ),
                ],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Clothes"})

    def test_ticket_shows_the_line_of_its_current_step(self):
        ticket = self._ticket(neiqin_service_type="return").with_user(self.clerk)
        self.assertEqual(ticket.neiqin_flow_line_id, self.flow.line_ids[0])
        self.assertEqual(ticket.neiqin_flow_instructions, "Ask for photos of the item.")
        self.assertEqual(ticket.neiqin_flow_reply_template_ids, self.ack)

    def test_a_ticket_of_another_type_has_no_line(self):
        ticket = self._ticket(neiqin_service_type="consultation").with_user(self.clerk)
        self.assertFalse(ticket.neiqin_flow_line_id)
        self.assertFalse(ticket.neiqin_flow_instructions)

    def test_the_sheet_of_the_category_comes_before_the_general_one(self):
        clothes = self.flow.copy({"name": "Returns of clothes", "category_id": self.category.id})
        clothes.line_ids[0].instructions = "Check the size label."
        ticket = self._ticket(neiqin_service_type="return", category_id=self.category.id)
        self.assertEqual(
            ticket.with_user(self.clerk).neiqin_flow_instructions, "Check the size label."
        )
        other = self._ticket(neiqin_service_type="return")
        self.assertEqual(
            other.with_user(self.clerk).neiqin_flow_instructions, "Ask for photos of the item."
        )

    def test_the_form_shows_the_flow_to_the_clerk(self):
        ticket = self._ticket(neiqin_service_type="return")
        form = Form(ticket.with_user(self.clerk))
        self.assertEqual(form.neiqin_flow_instructions, "Ask for photos of the item.")

    def test_the_sheet_replies_are_proposed_first(self):
        ticket = self._ticket(neiqin_service_type="return")
        first = self._reply_template("Hello {customer}", name="First by sequence", sequence=1)
        suggested = ticket.with_user(self.clerk)._neiqin_reply_templates()
        self.assertEqual(suggested[:1], self.ack)
        self.assertIn(first, suggested)

    def test_a_step_of_another_process_is_refused(self):
        foreign_step = self.env["neiqin.process.step"].search(
            [("process_id.code", "!=", "service")], limit=1
        )
        with self.assertRaises(ValidationError):
            self.flow.with_user(self.lead).write(
                {"line_ids": [Command.create({"step_id": foreign_step.id})]}
            )

    def test_clerks_read_sheets_leads_write_them(self):
        self.assertTrue(self.flow.with_user(self.clerk).line_ids)
        with self.assertRaises(AccessError):
            self.env["neiqin.service.flow"].with_user(self.clerk).create(
                {"name": "Mine", "service_type": "complaint"}
            )
        with self.assertRaises(AccessError):
            self.flow.line_ids[0].with_user(self.clerk).instructions = "Skip it."
        self.flow.line_ids[0].with_user(self.lead).instructions = "Ask for two photos."

    def test_the_sheet_of_another_company_is_not_used(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        self.flow.company_id = other
        ticket = self._ticket(neiqin_service_type="return").with_user(self.clerk)
        self.assertFalse(ticket.neiqin_flow_line_id)

    def test_the_sheet_prints_for_training(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("neiqin_aftersales.report_neiqin_service_flow", self.flow.ids)[0]
            .decode()
        )
        self.assertIn("Ask for photos of the item.", html)
        self.assertIn("Send it to {return_address}", html)
