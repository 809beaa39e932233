from freezegun import freeze_time

from odoo.tests import tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestFulfilment(OrdersCase):
    def _ship(self, order, tracking="TX12345678"):
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = tracking
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.button_validate()
        return picking

    def _notices(self, order):
        return order.neiqin_notice_ids.mapped("kind")

    def test_whole_order_process_with_step_logs_and_notices(self):
        order = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-1")
        order.action_confirm()
        # paid: the payment step is passed straight to dispatch
        self.assertEqual(order.neiqin_step_id.code, "dispatch")
        picking = self._ship(order)
        self.assertEqual(order.neiqin_step_id.code, "tracking")
        self.assertEqual(picking.neiqin_logistics_state, "shipped")
        picking._neiqin_add_events([{"state": "in_transit", "location": "Shanghai hub"}])
        picking._neiqin_add_events([{"state": "delivered"}])
        self.assertEqual(picking.neiqin_logistics_state, "delivered")
        self.assertEqual(order.neiqin_step_state, "done")
        logs = order.neiqin_step_log_ids.sorted("id")
        self.assertEqual(
            logs.mapped("step_code"), ["confirm", "payment", "dispatch", "tracking", "notify"]
        )
        self.assertTrue(all(log.deadline_at and log.done_at for log in logs))
        self.assertEqual(sorted(self._notices(order)), ["confirmed", "delivered", "shipped"])
        self.assertEqual(len(picking.neiqin_logistics_event_ids), 3)

    def test_unpaid_order_waits_in_the_payment_step(self):
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.neiqin_step_id.code, "payment")
        order.write({"neiqin_platform_paid": 80.0, "neiqin_payment_ref": "PAY-2"})
        self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(order.neiqin_step_id.code, "dispatch")

    def test_each_notice_is_sent_once(self):
        order = self._order()
        order.action_confirm()
        order._neiqin_send_notice("confirmed")
        order._neiqin_send_notice("confirmed")
        self.assertEqual(self._notices(order), ["confirmed"])
        notice = order.neiqin_notice_ids
        self.assertTrue(notice.message_id)
        same_mail = order.message_ids.filtered(lambda m: m.subject == notice.message_id.subject)
        self.assertEqual(len(same_mail), 1)

    def test_overdue_tracking_step_tells_the_customer_once(self):
        order = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-3")
        order.action_confirm()
        self._ship(order)
        log = order.neiqin_step_log_ids.filtered(lambda log: log.step_code == "tracking")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now() "
            "WHERE id != %s AND state = 'open'",
            [log.id],
        )
        with freeze_time(log.deadline_at.replace(year=log.deadline_at.year + 1)):
            self.env["neiqin.step.log"]._cron_check_overdue()
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertEqual(self._notices(order).count("delayed"), 1)

    def _only_due(self, logs):
        """Every other open passage counts as alerted already."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now() "
            "WHERE id != ALL(%s) AND state = 'open'",
            [logs.ids],
        )

    def _check_overdue_after(self, logs):
        deadline = max(logs.mapped("deadline_at"))
        with freeze_time(deadline.replace(year=deadline.year + 1)):
            return self.env["neiqin.step.log"]._cron_check_overdue()

    def test_cancelled_order_is_no_longer_alerted(self):
        order = self._order()
        log = order.neiqin_step_log_ids
        self.assertEqual(log.state, "open")
        self._only_due(log)
        order.with_user(self.clerk).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(log.state, "cancel")
        self.assertEqual(self._check_overdue_after(log), 0)
        self.assertFalse(log.alerted_at)
        self.assertFalse(order.activity_ids)

    def test_deleted_quotation_is_no_longer_alerted(self):
        order = self._order()
        log = order.neiqin_step_log_ids
        self._only_due(log)
        admin = self._user(
            "ord_sales_admin", "neiqin_base.group_neiqin_clerk,sales_team.group_sale_manager"
        )
        order.with_user(admin).unlink()
        self.assertEqual(log.state, "cancel")
        self.assertEqual(self._check_overdue_after(log), 0)
        self.assertFalse(log.alerted_at)

    def test_a_broken_delay_template_does_not_stop_the_alert(self):
        late = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-5")
        late.action_confirm()
        self._ship(late)
        tracking = late.neiqin_step_log_ids.filtered(lambda log: log.step_code == "tracking")
        waiting = self._order().neiqin_step_log_ids
        self._only_due(tracking | waiting)
        # The delay notice's template, broken by an edit: the notice fails
        # and waits in the outbox with its error; the alerts go out.
        template = self.env.ref("neiqin_orders.mail_template_order_delayed")
        sender = template.email_from
        template.email_from = "{{ object.amount_total / 0 }}"
        with self.assertLogs("odoo.addons.neiqin_base.models.neiqin_notice", "WARNING"):
            self.assertEqual(self._check_overdue_after(tracking | waiting), 2)
        self.assertTrue(waiting.alerted_at)
        self.assertTrue(tracking.alerted_at)
        notice = late.neiqin_notice_ids.filtered(lambda n: n.kind == "delayed")
        self.assertEqual((notice.state, notice.tries), ("queued", 1))
        self.assertTrue(notice.last_error)
        # Repaired, the notices' cron sends it.
        template.email_from = sender
        self.env["neiqin.notice"]._cron_notices()
        self.assertEqual(notice.state, "sent")

    def test_carrier_event_pushed_twice_is_recorded_once(self):
        order = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-4")
        order.action_confirm()
        picking = self._ship(order, tracking="TX00000001")
        event = {
            "tracking_number": "TX00000001",
            "status": "in_transit",
            "event_id": "E-1",
            "event_at": "2026-11-25T08:00:00+08:00",
        }
        first, second = self.env["sale.order"].api_push_logistics_events([event, event])
        self.assertEqual(first["status"], "created")
        self.assertEqual(second["status"], "unchanged")
        recorded = picking.neiqin_logistics_event_ids.filtered(lambda e: e.external_id == "E-1")
        self.assertEqual(len(recorded), 1)
        self.assertEqual(str(recorded.event_at), "2026-11-25 00:00:00")
