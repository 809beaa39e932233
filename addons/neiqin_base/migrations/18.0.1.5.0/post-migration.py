"""Since 18.0.1.5.0 an issue shows its rule's message in the reader's
language, read from the rule: the copy the scan stored on each issue, in the
language the scan ran in, is no longer read. Its column goes."""

from odoo.tools import SQL, sql

TABLE = "neiqin_dq_issue"


def migrate(cr, version):
    if not version:
        return
    if sql.column_exists(cr, TABLE, "message"):
        cr.execute(SQL("ALTER TABLE %s DROP COLUMN message", SQL.identifier(TABLE)))
