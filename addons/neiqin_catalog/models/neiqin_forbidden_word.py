from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import require_group

COMPLETENESS_CRON = "neiqin_catalog.ir_cron_neiqin_completeness"


class NeiqinForbiddenWord(models.Model):
    """A word the Advertising Law (广告法) forbids in a product's name,
    description or channel title: absolute terms such as 最佳 or 国家级.

    The information standards flag the products and listings whose texts
    contain one, whatever the case; a word of a company applies to its
    products and to those every company shares."""

    _name = "neiqin.forbidden.word"
    _description = "Forbidden word"
    _order = "word, id"
    _rec_name = "word"

    word = fields.Char(required=True, help="Flagged wherever it appears, whatever the case.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the word is forbidden for every company."
    )
    note = fields.Text(help="Why the word is forbidden, what to write instead.")

    @api.constrains("word", "company_id", "active")
    def _check_word(self):
        _ = self.env._
        for record in self:
            if not (record.word or "").strip():
                raise ValidationError(_("A forbidden word cannot be blank."))
            if record.word != record.word.strip():
                raise ValidationError(
                    _("The forbidden word %s starts or ends with a space.", repr(record.word))
                )
        # One query for the whole set: the same word twice for a company.
        self.flush_model(["word", "company_id", "active"])
        rows = self.env.execute_query(
            SQL(
                """SELECT w.word
                     FROM neiqin_forbidden_word w
                     JOIN neiqin_forbidden_word o
                       ON o.id <> w.id AND o.active AND lower(o.word) = lower(w.word)
                      AND o.company_id IS NOT DISTINCT FROM w.company_id
                    WHERE w.id = ANY(%s) AND w.active
                    LIMIT 1""",
                self.ids,
            )
        )
        if rows:
            raise ValidationError(_("The word %s is already on the list.", rows[0][0]))

    def _check_lead(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can change the forbidden words."),
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_lead()
        records = super().create(vals_list)
        records._completeness_outdated()
        return records

    def write(self, vals):
        self._check_lead()
        result = super().write(vals)
        self._completeness_outdated()
        return result

    def unlink(self):
        self._check_lead()
        result = super().unlink()
        self._completeness_outdated()
        return result

    def _completeness_outdated(self):
        """The list changed: the scheduled computation of the completeness
        runs soon (one statement over every product and listing), rather
        than in the request that edited a word."""
        cron = self.env.ref(COMPLETENESS_CRON, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()  # the lead may not read crons; triggering runs nothing now

    @api.model
    def _contains_sql(self, text, company):
        """SQL: whether ``text`` (an SQL expression) contains an active
        forbidden word for ``company`` (an SQL expression, NULL for a record
        every company shares), whatever the case. One look-up per text, the
        words read in the statement that uses it (no word is evaluated as a
        pattern: ``strpos`` compares plain text)."""
        # The text is lowered once per record (OFFSET 0 keeps PostgreSQL
        # from computing it again for each word), then searched for each word.
        return SQL(
            """EXISTS (SELECT 1
                         FROM (SELECT lower(%(text)s) AS txt OFFSET 0) AS x
                         JOIN neiqin_forbidden_word fw
                           ON fw.active
                          AND (fw.company_id IS NULL OR %(company)s IS NULL
                               OR fw.company_id = %(company)s)
                          AND strpos(x.txt, lower(fw.word)) > 0)""",
            text=text,
            company=company,
        )
