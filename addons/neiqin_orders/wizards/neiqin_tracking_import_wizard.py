import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

HEADER_WORDS = {
    "tracking",
    "tracking_number",
    "reference",
    "order",
    "carrier",
    "运单号",
    "單號",
    "运单",
    "订单号",
}


class NeiqinTrackingImportWizard(models.TransientModel):
    """Paste or upload tracking numbers: each row names a delivery, an order
    or a platform order number, then the tracking number and optionally the
    carrier code. Good rows apply; bad rows change nothing and say why."""

    _name = "neiqin.tracking.import.wizard"
    _description = "Import tracking numbers"

    source = fields.Selection(
        [("paste", "Paste"), ("file", "CSV or XLSX file")], default="paste", required=True
    )
    text = fields.Text(
        string="Rows",
        help="One row per line: reference, tracking number, carrier code (optional), "
        "separated by commas, semicolons or tabs.",
    )
    file = fields.Binary()
    filename = fields.Char()
    line_ids = fields.One2many(
        "neiqin.tracking.import.line", "wizard_id", string="Results", readonly=True
    )
    done_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(compute="_compute_counts")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            wizard.error_count = len(wizard.line_ids.filtered(lambda line: line.status == "error"))
            wizard.done_count = len(wizard.line_ids) - wizard.error_count

    # ------------------------------------------------------------ parsing
    def _rows(self):
        if self.source == "paste":
            if not (self.text or "").strip():
                raise UserError(self.env._("Paste at least one row."))
            return self._parse_text(self.text)
        if not self.file:
            raise UserError(self.env._("Choose a CSV or XLSX file."))
        content = base64.b64decode(self.file)
        if (self.filename or "").lower().endswith(".xlsx"):
            return self._parse_xlsx(content)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("gb18030")
        return self._parse_text(text)

    @staticmethod
    def _parse_text(text):
        sample = text[:2048]
        delimiter = (
            "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
        )
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]

    def _parse_xlsx(self, content):
        import openpyxl  # noqa: PLC0415 - only needed for this upload type

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise UserError(
                self.env._("The file is not a readable XLSX workbook: %s", exc)
            ) from exc
        sheet = book.worksheets[0]
        return [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]

    def _items(self, rows):
        """(row number, item) for each non-empty row, header skipped."""
        rows = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
        if rows and HEADER_WORDS & {c.lower() for c in rows[0][1]}:
            rows = rows[1:]
        refs = {row[0] for _n, row in rows if row}
        pickings = set(
            self.env["stock.picking"].search([("name", "in", list(refs))]).mapped("name")
        )
        orders = set(self.env["sale.order"].search([("name", "in", list(refs))]).mapped("name"))
        items = []
        for number, row in rows:
            ref = row[0] if row else ""
            item = {"tracking_number": row[1] if len(row) > 1 else ""}
            if len(row) > 2 and row[2]:
                item["carrier"] = row[2]
            if ref in pickings:
                item["picking"] = ref
            elif ref in orders:
                item["order"] = ref
            else:
                item["platform_order_no"] = ref
            items.append((number, ref, item))
        return items

    def action_import(self):
        self.ensure_one()
        items = self._items(self._rows())
        if not items:
            raise UserError(self.env._("No row to import."))
        results = self.env["stock.picking"]._neiqin_set_tracking([item for _n, _ref, item in items])
        self.line_ids = [
            fields.Command.create(
                {
                    "row": number,
                    "reference": ref,
                    "tracking_number": item["tracking_number"],
                    "carrier_code": item.get("carrier"),
                    "status": result["status"],
                    "message": result.get("message") or result.get("picking"),
                }
            )
            for (number, ref, item), result in zip(items, results)
        ]
        self.state = "done"
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class NeiqinTrackingImportLine(models.TransientModel):
    _name = "neiqin.tracking.import.line"
    _description = "Tracking number import result"
    _order = "row"

    wizard_id = fields.Many2one("neiqin.tracking.import.wizard", required=True, ondelete="cascade")
    row = fields.Integer()
    reference = fields.Char()
    tracking_number = fields.Char()
    carrier_code = fields.Char(string="Carrier")
    status = fields.Selection(
        [("updated", "Updated"), ("unchanged", "Unchanged"), ("error", "Error")], required=True
    )
    message = fields.Char()
