from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.misc import format_datetime

from .common import RepliesCase


@tagged("post_install", "-at_install")
class TestReplyTemplates(RepliesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._tracked_order()
        cls.ticket = cls._ticket(order=cls.order)
        cls.shipped_reply = cls._reply_template(
            "Hello {customer}, order {order} ({amount}) left with {carrier}, "
            "tracking number {tracking_number}. Ticket {ticket}, {shop}.",
            name="Shipped",
        )

    def _wizard(self, ticket, user=None):
        action = ticket.with_user(user or self.clerk).action_neiqin_reply()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.clerk)
            .with_context(**action["context"])
        )

    # ---------------------------------------------------------------- placeholders
    def test_placeholders_are_filled_from_the_shipped_order(self):
        text = self.shipped_reply.with_user(self.clerk)._neiqin_render(self.ticket)[self.ticket.id]
        self.assertIn("Hello Wu Min,", text)
        self.assertIn(f"order {self.order.name}", text)
        self.assertIn("TX12345678", text)
        self.assertIn("Test Express", text)
        self.assertIn("80.00", text)
        self.assertIn(self.ticket.number, text)
        self.assertIn(self.env.company.name, text)

    def test_values_of_a_ticket_without_order_or_return_are_empty(self):
        ticket = self._ticket()
        values = ticket.with_user(self.clerk)._neiqin_reply_values()[ticket.id]
        for name in ("order", "carrier", "tracking_number", "amount", "refund_amount"):
            self.assertEqual(values[name], "", name)
        self.assertEqual(set(values), set(self.env["neiqin.reply.template"]._placeholders()))
        self.assertTrue(values["deadline"], "the enquiry step has a deadline")
        self.assertTrue(values["return_address"])

    def test_agent_and_return_address(self):
        self.ticket.user_id = self.clerk
        values = self.ticket.with_user(self.clerk)._neiqin_reply_values()[self.ticket.id]
        self.assertEqual(values["agent"], self.clerk.name)
        warehouse_partner = self.order.warehouse_id.partner_id
        self.assertTrue(values["return_address"].startswith(warehouse_partner.name))

    def test_deadline_is_shown_in_the_customer_time_zone(self):
        deadline = self.ticket.neiqin_step_deadline_at
        self.customer.tz = "Asia/Shanghai"
        shanghai = self.ticket.with_user(self.clerk)._neiqin_reply_values()[self.ticket.id]
        self.customer.tz = "America/New_York"
        new_york = self.ticket.with_user(self.clerk)._neiqin_reply_values()[self.ticket.id]
        self.assertEqual(
            shanghai["deadline"],
            format_datetime(self.env, deadline, tz="Asia/Shanghai", dt_format="short"),
        )
        self.assertNotEqual(shanghai["deadline"], new_york["deadline"])

    def test_refund_amount_is_the_refunds_of_the_ticket_returns(self):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create({"name": "Refund", "quantity": 1, "price_unit": 80.0})
                ],
            }
        )
        refund.invoice_line_ids.tax_ids = False
        rma = self.env["rma"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.tee.id,
                "product_uom_qty": 1,
                "location_id": self.warehouse.rma_loc_id.id,
                "neiqin_ticket_id": self.ticket.id,
            }
        )
        rma.refund_id = refund
        values = self.ticket.with_user(self.clerk)._neiqin_reply_values()[self.ticket.id]
        self.assertIn("80.00", values["refund_amount"])
        self.assertTrue(values["return_address"].startswith(rma.warehouse_id.partner_id.name))

    def test_body_is_rendered_in_the_customer_language(self):
        # Both languages active: with English inactive, Odoo writes every
        # translation over the English source too.
        self.env["res.lang"]._activate_lang("en_US")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.shipped_reply.with_context(
            lang="zh_CN"
        ).body = "您好{customer}，您的订单{order}已由{carrier}发出，运单号{tracking_number}。"
        self.customer.lang = "zh_CN"
        text = self.shipped_reply.with_user(self.clerk)._neiqin_render(self.ticket)[self.ticket.id]
        self.assertEqual(
            text, f"您好Wu Min，您的订单{self.order.name}已由Test Express发出，运单号TX12345678。"
        )
        self.customer.lang = "en_US"
        text = self.shipped_reply.with_user(self.clerk)._neiqin_render(self.ticket)[self.ticket.id]
        self.assertTrue(text.startswith("Hello Wu Min,"))

    def test_values_take_constant_queries_for_one_or_ten_tickets(self):
        orders = [self.order] + [self._tracked_order(f"TX2000000{i}") for i in range(9)]
        tickets = self.env["helpdesk.ticket"].concat(*(self._ticket(order=o) for o in orders))
        Ticket = self.env["helpdesk.ticket"].with_user(self.clerk)
        # Warm the caches of rules, groups and languages.
        Ticket.browse(self.ticket.id)._neiqin_reply_values()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Ticket.browse(tickets[:1].ids)._neiqin_reply_values()
        one = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(one):
            values = Ticket.browse(tickets.ids)._neiqin_reply_values()
        self.assertEqual(len(values), 10)
        self.assertEqual(values[tickets[-1].id]["tracking_number"], "TX20000008")

    # ---------------------------------------------------------------- refused at save
    def test_unknown_attribute_format_and_unpaired_placeholders_are_refused(self):
        Template = self.env["neiqin.reply.template"].with_user(self.lead)
        for body, named in (
            ("Hello {email}", "{email}"),
            ("Hello {customer.email}", "{customer.email}"),
            ("Total {amount:>10}", "{amount:>10}"),
            ("Total {amount!r}", "{amount!r}"),
            ("Sum {1+1}", "{1+1}"),
            ("Hello {customer", "an unpaired brace"),
            ("Hello customer}", "an unpaired brace"),
        ):
            with self.subTest(body=body), self.assertRaises(ValidationError) as caught:
                Template.create({"name": "Bad", "body": body})
            self.assertIn(named, str(caught.exception))

    def test_a_bad_translation_is_refused_too(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        with self.assertRaises(ValidationError):
            self.shipped_reply.with_user(self.lead).with_context(lang="zh_CN").body = "您好{客户}"

    def test_clerks_read_templates_leads_write_them(self):
        template = self.shipped_reply.with_user(self.clerk)
        self.assertTrue(template.body)
        with self.assertRaises(AccessError):
            template.name = "Mine"
        self.shipped_reply.with_user(self.lead).name = "Shipped (lead)"

    def test_nobody_writes_the_usage_count(self):
        with self.assertRaises(AccessError):
            self.shipped_reply.with_user(self.lead).usage_count = 99

    # ---------------------------------------------------------------- usage
    def test_usage_count_increments_in_sql(self):
        self.assertEqual(self.shipped_reply.usage_count, 0)
        self.assertFalse(self.shipped_reply.last_used_at)
        with self.assertQueryCount(1):
            self.shipped_reply._neiqin_mark_used()
        self.shipped_reply._neiqin_mark_used()
        self.assertEqual(self.shipped_reply.usage_count, 2)
        self.assertTrue(self.shipped_reply.last_used_at)

    # ---------------------------------------------------------------- wizard
    def test_clerk_sends_a_filled_reply_and_the_customer_gets_it(self):
        wizard = self._wizard(self.ticket)
        wizard.template_id = self.shipped_reply
        self.assertIn("TX12345678", wizard.body)
        wizard.body += "\nSee you soon."
        record = wizard.save()
        record.action_send()
        message = self.ticket.message_ids.filtered(lambda m: "TX12345678" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(message.author_id, self.clerk.partner_id)
        self.assertIn("See you soon.", message.body)
        self.assertEqual(self.shipped_reply.usage_count, 1)

    def test_reply_text_is_posted_as_text_not_markup(self):
        wizard = self._wizard(self.ticket)
        wizard.body = "<script>alert(1)</script> {customer}"
        wizard.save().action_send()
        message = self.ticket.message_ids[:1]
        self.assertNotIn("<script>", message.body)
        self.assertIn("&lt;script&gt;", message.body)

    def test_templates_of_the_ticket_step_and_type_come_first(self):
        general = self._reply_template("Hello {customer}", name="General", sequence=1)
        step = self._reply_template(
            "Hello {customer}, we look into it.",
            name="Step",
            sequence=50,
            step_id=self.ticket.neiqin_step_id.id,
        )
        other_type = self._reply_template(
            "Return it",
            name="Returns",
            service_type_ids=[(6, 0, self.env.ref("neiqin_aftersales.service_type_return").ids)],
        )
        later_step = self._reply_template(
            "We refunded you.",
            name="Later step",
            sequence=0,
            step_id=self.env.ref("neiqin_aftersales.step_service_follow_up").id,
        )
        wizard = self._wizard(self.ticket)
        suggested = list(wizard.suggested_template_ids)
        self.assertEqual(wizard.template_id, suggested[0])
        self.assertLess(suggested.index(step), suggested.index(general))
        self.assertLess(suggested.index(general), suggested.index(later_step))
        self.assertNotIn(other_type, suggested)
        self.assertTrue(wizard.body)

    def test_a_template_that_does_not_serve_the_ticket_is_refused(self):
        returns = self._reply_template(
            "Send it back to {return_address}",
            name="Returns only",
            service_type_ids=[(6, 0, self.env.ref("neiqin_aftersales.service_type_return").ids)],
        )
        wizard = self._wizard(self.ticket).save()
        wizard.template_id = returns
        with self.assertRaises(UserError) as caught:
            wizard.action_send()
        self.assertIn("Returns only", str(caught.exception))
        self.assertEqual(returns.usage_count, 0)

    def test_a_template_of_another_company_is_not_readable(self):
        other_company = self.env["res.company"].create({"name": "Other Shop"})
        foreign = self._reply_template("Hello {customer}", company_id=other_company.id)
        self.assertNotIn(foreign, self.ticket.with_user(self.clerk)._neiqin_reply_templates())
        wizard = self._wizard(self.ticket).save()
        with self.assertRaises(AccessError):
            wizard.write({"template_id": foreign.id})
            wizard.action_send()

    def test_a_ticket_the_clerk_cannot_read_is_refused(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Other desk"})
        ticket = self._ticket(user=self.lead, team_id=team.id, user_id=self.lead.id)
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk)._neiqin_reply_values()
        with self.assertRaises(AccessError):
            self.env["neiqin.reply.wizard"].with_user(self.clerk).create(
                {"ticket_id": ticket.id, "template_id": self.shipped_reply.id}
            )
        self.assertFalse(ticket.message_ids.filtered(lambda m: m.message_type == "comment"))

    def test_a_user_without_the_clerk_group_is_refused(self):
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.outsider).action_neiqin_reply()
        with self.assertRaises(AccessError):
            self.env["neiqin.reply.wizard"].with_user(self.outsider).create(
                {"ticket_id": self.ticket.id, "body": "Hello"}
            )
        wizard = self._wizard(self.ticket).save()
        with self.assertRaises(AccessError):
            wizard.with_user(self.outsider).action_send()
        self.assertFalse(self.ticket.message_ids.filtered(lambda m: m.message_type == "comment"))

    def test_an_empty_reply_is_refused(self):
        wizard = self._wizard(self.ticket)
        wizard.body = "  "
        with self.assertRaises(UserError):
            wizard.save().action_send()
