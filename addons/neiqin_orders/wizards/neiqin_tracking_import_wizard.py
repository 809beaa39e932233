import base64
import codecs
import csv
import io
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

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
# Byte order marks, longest first (UTF-32's starts like UTF-16's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a BOM: UTF-8 first (it rejects almost every text that is not
# UTF-8); then GB18030, which Excel on a Chinese Windows writes (a superset
# of GBK and GB2312), the most likely other encoding for this business;
# cp1252 (Western Windows) last, as it decodes nearly any bytes. The columns
# imported (references, tracking numbers, carrier codes) are ASCII, which all
# three read alike: a Western file mistaken for GB18030 only garbles its
# accented letters, never a delimiter (GB18030's second bytes are >= 0x30).
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "cp1252")


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
        return self._parse_text(self._decode(content))

    def _decode(self, content):
        """The text of an uploaded CSV file, whatever its encoding (see
        BOMS and FALLBACK_ENCODINGS)."""
        for bom, encoding in BOMS:
            if content.startswith(bom):
                try:
                    return content[len(bom) :].decode(encoding)
                except UnicodeDecodeError:
                    break
        else:
            # A text without a BOM and with NUL bytes is UTF-16 (ASCII
            # characters have a zero byte) or not text at all.
            encodings = FALLBACK_ENCODINGS
            if b"\x00" in content[:4096]:
                sample = content[:4096]
                encodings = (
                    ("utf-16-le",)
                    if sample[1::2].count(0) > sample[::2].count(0)
                    else ("utf-16-be",)
                )
            for encoding in encodings:
                try:
                    text = content.decode(encoding)
                except UnicodeDecodeError:
                    continue
                if "\x00" not in text:
                    return text
        raise UserError(
            self.env._(
                "The file cannot be read as text: save it as CSV (UTF-8) or XLSX and try again."
            )
        )

    def _parse_text(self, text):
        sample = text[:2048]
        delimiter = (
            "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
        )
        try:
            return [
                [cell.strip() for cell in row]
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            ]
        except csv.Error as exc:
            raise UserError(self.env._("The rows cannot be read as CSV: %s", exc)) from exc

    def _parse_xlsx(self, content):
        import openpyxl  # noqa: PLC0415 - only needed for this upload type

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise UserError(
                self.env._("The file is not a readable XLSX workbook: %s", exc)
            ) from exc
        if not book.worksheets:
            raise UserError(self.env._("The workbook has no sheet."))
        return [
            [self._cell_text(cell) for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]

    @staticmethod
    def _cell_text(value):
        """A cell as the text it shows: a tracking or order number typed in
        a numeric cell comes as a float, 7312345678901.0 or 1.2e+16, and
        must read as its digits."""
        if value is None:
            return ""
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value))
            # Plain decimal notation, from the shortest text that is the float.
            return format(Decimal(repr(value)), "f")
        return str(value).strip()

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
