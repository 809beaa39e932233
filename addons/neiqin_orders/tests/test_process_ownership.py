from odoo import Command
from odoo.tests import tagged
from odoo.tools import convert_file

from odoo.addons.neiqin_base.engine.xmlids import ORDER_PROCESS_XMLIDS
from odoo.addons.neiqin_base.tests.common import run_migration

from ..hooks import uninstall_hook
from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestProcessOwnership(OrdersCase):
    """The order process is neiqin_orders' data: databases made when
    neiqin_base shipped it keep it, and uninstalling keeps its history."""

    def setUp(self):
        super().setUp()
        self.Process = self.env["neiqin.process"].with_context(active_test=False)
        self.Data = self.env["ir.model.data"]
        self.process = self.env.ref("neiqin_orders.process_order")

    def _migrate(self, module, version, installed):
        run_migration(self.env.cr, module, version, installed, "pre-migration")
        # env.ref reads XML ids through a cache.
        self.env.registry.clear_cache()

    def _as_before_the_move(self):
        """As a database made before 18.0.1.4.0, where neiqin_base shipped
        the order, service and product processes."""
        self.env.cr.execute(
            "UPDATE ir_model_data SET module = 'neiqin_base' "
            "WHERE module = 'neiqin_orders' AND name IN %s",
            [ORDER_PROCESS_XMLIDS],
        )
        service = self.Process.create(
            {
                "name": "Customer Service",
                "code": "service",
                "model_name": "helpdesk.ticket",
                "company_id": False,
                "step_ids": [
                    Command.create(
                        {
                            "code": "consult",
                            "name": "Consultation",
                            "owner_type": "user",
                            "owner_user_id": self.lead.id,
                        }
                    )
                ],
            }
        )
        self.Data.create(
            [
                {
                    "module": "neiqin_base",
                    "name": "process_service",
                    "model": "neiqin.process",
                    "res_id": service.id,
                    "noupdate": True,
                },
                {
                    "module": "neiqin_base",
                    "name": "step_service_consult",
                    "model": "neiqin.process.step",
                    "res_id": service.step_ids.id,
                    "noupdate": True,
                },
            ]
        )
        self.env.registry.clear_cache()
        return service

    def _order_processes(self):
        return self.Process.search([("code", "=", "order"), ("company_id", "=", False)])

    def _load_order_data(self, mode):
        convert_file(
            self.env, "neiqin_orders", "data/neiqin_process_data.xml", {}, mode=mode, noupdate=True
        )

    def test_upgrade_gives_the_order_process_to_neiqin_orders(self):
        order = self._order()
        log = order.neiqin_step_log_ids
        self.process.step_ids.filtered(lambda s: s.code == "payment").deadline_hours = 5
        service = self._as_before_the_move()
        self.assertEqual(self.env.ref("neiqin_base.process_order"), self.process)

        self._migrate("neiqin_base", "18.0.1.4.0", "18.0.1.3.0")

        self.assertEqual(self.env.ref("neiqin_orders.process_order"), self.process)
        self.assertEqual(self.env.ref("neiqin_orders.step_order_confirm"), order.neiqin_step_id)
        self.assertFalse(self.env.ref("neiqin_base.process_order", raise_if_not_found=False))
        # Its data, loaded next by the update, finds the process and its
        # steps instead of making a second one, and keeps their settings.
        self._load_order_data("update")
        self.assertEqual(self._order_processes(), self.process)
        self.assertEqual(len(self.process.step_ids), 6)
        self.assertEqual(self.env.ref("neiqin_orders.step_order_payment").deadline_hours, 5)
        self.assertEqual(order.neiqin_step_log_ids, log)
        # No add-on ships the service process any more: its XML ids are
        # forgotten, so that no module update deletes it, and it stays.
        self.assertFalse(self.env.ref("neiqin_base.process_service", raise_if_not_found=False))
        for record in (service, *service.step_ids):
            self.assertFalse(record.get_external_id()[record.id])
        self.assertTrue(service.exists() and service.step_ids.exists())

    def test_updating_neiqin_orders_alone_takes_the_process_over(self):
        self._as_before_the_move()
        self._migrate("neiqin_orders", "18.0.1.2.0", "18.0.1.1.0")
        self.assertEqual(self.env.ref("neiqin_orders.process_order"), self.process)
        self._load_order_data("update")
        self.assertEqual(self._order_processes(), self.process)
        # neiqin_base, updated after, finds nothing left to move.
        self._migrate("neiqin_base", "18.0.1.4.0", "18.0.1.3.0")
        self.assertEqual(self.env.ref("neiqin_orders.process_order"), self.process)

    def test_installing_neiqin_orders_after_the_upgrade_takes_the_process_over(self):
        # neiqin_orders was not installed when neiqin_base was upgraded: the
        # XML ids are its own all the same, and installing it finds them.
        self._as_before_the_move()
        self._migrate("neiqin_base", "18.0.1.4.0", "18.0.1.3.0")
        self._load_order_data("init")
        self.assertEqual(self._order_processes(), self.process)

    def test_uninstalling_keeps_the_history_of_orders_archived(self):
        order = self._order()
        log = order.neiqin_step_log_ids
        self.assertEqual(log.state, "open")
        uninstall_hook(self.env)
        self.assertEqual(log.state, "cancel")
        self.assertFalse(self.process.active)
        self.assertEqual(log.process_id, self.process)
        self.assertFalse(
            self.Data.search(
                [
                    ("module", "=", "neiqin_orders"),
                    ("model", "in", ("neiqin.process", "neiqin.process.step")),
                ]
            )
        )
