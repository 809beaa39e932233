from odoo import fields, models, tools
from odoo.tools import SQL

STATUSES = [
    ("valid", "Valid"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
    ("missing", "Missing"),
]
# A valid training whose end falls within these days is expiring.
EXPIRING_DAYS = 30


class NeiqinTrainingMatrix(models.Model):
    """The training matrix: one row per employee and course their job
    requires, with the last pass, until when it is valid and its status.
    A training is valid until the date of the last passed session plus the
    course's validity (never expires with a validity of 0)."""

    _name = "neiqin.training.matrix"
    _description = "Training matrix"
    _auto = False
    # Dates and authors, as every Neiqin record has them: the employee's.
    _log_access = True
    _order = "employee_id, course_id"

    employee_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True)
    course_id = fields.Many2one("neiqin.training.course", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    last_passed_date = fields.Date(string="Last Passed", readonly=True)
    valid_until = fields.Date(readonly=True)
    status = fields.Selection(STATUSES, readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    WITH required AS (
                        SELECT e.id AS employee_id, e.user_id, e.job_id, c.id AS course_id,
                               e.company_id, c.validity_months, e.create_uid, e.create_date,
                               e.write_uid, e.write_date
                          FROM hr_employee e
                          JOIN neiqin_training_course_job_rel r ON r.job_id = e.job_id
                          JOIN neiqin_training_course c
                            ON c.id = r.course_id AND c.company_id = e.company_id
                         WHERE e.active AND c.active
                    ), passed AS (
                        SELECT a.employee_id, a.course_id, max(a.date) AS last_passed_date
                          FROM neiqin_training_attendance a
                          JOIN neiqin_training_session s ON s.id = a.session_id
                         WHERE s.state = 'done' AND a.attended AND a.result = 'passed'
                         GROUP BY a.employee_id, a.course_id
                    ), dated AS (
                        SELECT q.*, p.last_passed_date,
                               CASE WHEN q.validity_months > 0
                                    THEN (p.last_passed_date
                                          + make_interval(months => q.validity_months))::date
                               END AS valid_until
                          FROM required q
                          LEFT JOIN passed p
                            ON p.employee_id = q.employee_id AND p.course_id = q.course_id
                    )
                    -- One stable id per employee and course (the web client reads
                    -- ids up to 2**53: employees up to 2**21).
                    SELECT employee_id::bigint * 4294967296 + course_id AS id,
                           employee_id, user_id, job_id, course_id, company_id,
                           create_uid, create_date, write_uid, write_date,
                           last_passed_date, valid_until,
                           CASE WHEN last_passed_date IS NULL THEN 'missing'
                                WHEN valid_until IS NULL THEN 'valid'
                                WHEN valid_until < CURRENT_DATE THEN 'expired'
                                WHEN valid_until < CURRENT_DATE + %(days)s THEN 'expiring'
                                ELSE 'valid'
                           END AS status
                      FROM dated
                )
                """,
                table=SQL.identifier(self._table),
                days=EXPIRING_DAYS,
            )
        )
