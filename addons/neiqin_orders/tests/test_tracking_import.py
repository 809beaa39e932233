import base64
import codecs
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestTrackingImport(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls.env["sale.order"]
        for number in range(3):
            order = cls._order(neiqin_platform="tmall", neiqin_platform_order_no=f"TM-{number}")
            order.action_confirm()
            cls.orders |= order
        cls.pickings = cls.orders.picking_ids

    def test_tracking_number_must_match_the_carrier_pattern(self):
        picking = self.pickings[0]
        picking.carrier_id = self.carrier
        with self.assertRaisesRegex(ValidationError, "not a Test Express tracking number"):
            picking.carrier_tracking_ref = "12345"
        picking.carrier_tracking_ref = "TX12345678"
        self.assertEqual(picking.carrier_tracking_ref, "TX12345678")

    def test_invalid_carrier_pattern_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid regular expression"):
            self.carrier.neiqin_tracking_pattern = "TX[0-9"

    def _import(self, **vals):
        wizard = self.env["neiqin.tracking.import.wizard"].with_user(self.clerk).create(vals)
        wizard.action_import()
        return wizard

    def test_wizard_form_imports_pasted_rows(self):
        form = Form(self.env["neiqin.tracking.import.wizard"].with_user(self.clerk))
        form.text = f"{self.orders[2].name},TX00000031,TX"
        wizard = form.save()
        wizard.action_import()
        self.assertEqual(self.orders[2].picking_ids.carrier_tracking_ref, "TX00000031")

    def test_pasted_rows_apply_good_rows_and_report_bad_ones(self):
        first, second, third = self.orders
        before = third.picking_ids.carrier_tracking_ref
        text = "\n".join(
            [
                "reference,tracking,carrier",
                f"{first.picking_ids.name},TX00000001,TX",
                f"{second.name},TX00000002",
                "TM-2,BAD-NUMBER,TX",
                "NO-SUCH-ORDER,TX00000004,TX",
                f"{third.name},TX00000005,NOPE",
            ]
        )
        wizard = self._import(source="paste", text=text)
        self.assertEqual(wizard.done_count, 2)
        self.assertEqual(wizard.error_count, 3)
        self.assertEqual(first.picking_ids.carrier_tracking_ref, "TX00000001")
        self.assertEqual(second.picking_ids.carrier_tracking_ref, "TX00000002")
        self.assertEqual(third.picking_ids.carrier_tracking_ref, before)
        errors = wizard.line_ids.filtered(lambda line: line.status == "error").sorted("row")
        self.assertEqual(errors.mapped("row"), [4, 5, 6])
        self.assertIn("BAD-NUMBER is not a Test Express tracking number", errors[0].message)
        self.assertIn("No order NO-SUCH-ORDER found", errors[1].message)
        self.assertIn("Unknown carrier code NOPE", errors[2].message)

    def test_same_rows_again_change_nothing(self):
        text = f"{self.orders[0].name}\tTX00000009\tTX"
        self._import(source="paste", text=text)
        wizard = self._import(source="paste", text=text)
        self.assertEqual(wizard.line_ids.status, "unchanged")

    def test_csv_file(self):
        content = f"{self.orders[1].picking_ids.name};TX00000011;TX\n".encode()
        wizard = self._import(
            source="file", file=base64.b64encode(content), filename="tracking.csv"
        )
        self.assertEqual(wizard.line_ids.status, "updated")
        self.assertEqual(self.orders[1].picking_ids.carrier_tracking_ref, "TX00000011")

    def test_xlsx_file(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Order", "Tracking", "Carrier"])
        sheet.append(["TM-0", "TX00000021", "TX"])
        sheet.append(["TM-1", "wrong", "TX"])
        buffer = io.BytesIO()
        book.save(buffer)
        wizard = self._import(
            source="file", file=base64.b64encode(buffer.getvalue()), filename="t.xlsx"
        )
        self.assertEqual(wizard.line_ids.sorted("row").mapped("status"), ["updated", "error"])
        self.assertEqual(self.orders[0].picking_ids.carrier_tracking_ref, "TX00000021")
        self.assertFalse(self.orders[1].picking_ids.carrier_tracking_ref)

    def test_empty_paste_is_refused(self):
        wizard = (
            self.env["neiqin.tracking.import.wizard"]
            .with_user(self.clerk)
            .create({"source": "paste", "text": " "})
        )
        with self.assertRaisesRegex(Exception, "Paste at least one row"):
            wizard.action_import()

    # ------------------------------------------------------------ encodings and cells
    def _import_file(self, content, filename="tracking.csv"):
        return self._import(source="file", file=base64.b64encode(content), filename=filename)

    def test_cp1252_file(self):
        picking = self.orders[0].picking_ids
        text = f"reference;tracking;carrier (€ zone)\n{picking.name};TX00000041;TX\n"
        wizard = self._import_file(text.encode("cp1252"))
        self.assertEqual(wizard.line_ids.mapped("status"), ["updated"])
        self.assertEqual(picking.carrier_tracking_ref, "TX00000041")

    def test_utf16_file_with_a_byte_order_mark(self):
        picking = self.orders[1].picking_ids
        # What Excel saves as "Unicode text": UTF-16 with a BOM, tabs.
        text = f"运单号\t单号\t承运商\n{picking.name}\tTX00000042\tTX\n"
        wizard = self._import_file(text.encode("utf-16"))
        self.assertEqual(wizard.line_ids.mapped("status"), ["updated"])
        self.assertEqual(picking.carrier_tracking_ref, "TX00000042")

    def test_gb18030_file(self):
        picking = self.orders[2].picking_ids
        text = f"订单号,运单号,承运商\n{picking.name},TX00000043,TX\n"
        wizard = self._import_file(text.encode("gb18030"))
        self.assertEqual(wizard.line_ids.mapped("status"), ["updated"])
        self.assertEqual(picking.carrier_tracking_ref, "TX00000043")

    def test_undecodable_file_is_refused(self):
        with self.assertRaisesRegex(UserError, "cannot be read as text"):
            self._import_file(b"TM-0,TX00000044\n\x81\x7f\x90,x\n")
        with self.assertRaisesRegex(UserError, "cannot be read as text"):
            self._import_file(codecs.BOM_UTF8 + b"TM-0,\xff\xfe\n")

    def test_xlsx_numbers_read_as_their_digits(self):
        plain = self.env["delivery.carrier"].create(
            {
                "name": "Plain Post",
                "neiqin_code": "PP",
                "delivery_type": "fixed",
                "product_id": self.env.ref("delivery.product_product_delivery").id,
            }
        )
        order = self._order(neiqin_platform="tmall", neiqin_platform_order_no="7312345678901")
        order.action_confirm()
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Order", "Tracking", "Carrier"])
        # Numbers typed into numeric cells: Excel keeps them as floats.
        sheet.append([7312345678901.0, 1.23456789012345e16, plain.neiqin_code])
        buffer = io.BytesIO()
        book.save(buffer)
        wizard = self._import_file(buffer.getvalue(), filename="t.xlsx")
        self.assertEqual(wizard.line_ids.reference, "7312345678901")
        self.assertEqual(wizard.line_ids.status, "updated", wizard.line_ids.message)
        self.assertEqual(order.picking_ids.carrier_tracking_ref, "12345678901234500")

    def test_decimal_cells_read_in_plain_notation(self):
        cell_text = self.env["neiqin.tracking.import.wizard"]._cell_text
        self.assertEqual(cell_text(1.5e-07), "0.00000015")
        self.assertEqual(cell_text(12.25), "12.25")
        self.assertEqual(cell_text(1e22), "10000000000000000000000")
        self.assertEqual(cell_text(7312345678901.0), "7312345678901")
        self.assertEqual(cell_text(42), "42")
        self.assertEqual(cell_text(None), "")

    def test_tracking_number_of_another_delivery_is_refused(self):
        first, second = self.orders[:2]
        first.picking_ids.carrier_tracking_ref = "TX00000051"
        text = f"{second.name},TX00000051,TX\n{second.name},TX00000052,TX"
        wizard = self._import(source="paste", text=text)
        lines = wizard.line_ids.sorted("row")
        self.assertEqual(lines.mapped("status"), ["error", "updated"])
        self.assertIn(first.picking_ids.name, lines[0].message)
        self.assertEqual(second.picking_ids.carrier_tracking_ref, "TX00000052")
