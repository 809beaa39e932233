import importlib.util
from datetime import datetime

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL
from odoo.tools.misc import file_path


def run_migration(cr, module, version, installed, script="post-migration"):
    """Run ``module``'s migration script of ``version`` as an upgrade from
    ``installed`` does (``script``: pre-, post- or end-migration)."""
    path = file_path(f"{module}/migrations/{version}/{script}.py")
    name = f"{module}_{version}_{script}".replace(".", "_").replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    loaded.migrate(cr, installed)


def age_changes(env, rules, partners=None):
    """Date the contacts ``partners`` selects, and every field change
    recorded so far (by this transaction too), a day back, and the last
    scan of ``rules`` an hour back: what the test writes next is a change."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET write_date = now() - interval '1 day' WHERE %s",
            partners or SQL("TRUE"),
        )
    )
    env.cr.execute(
        """UPDATE neiqin_dq_rule SET last_scan_at = now() - interval '1 hour',
                                     rescan_from = now() - interval '1 hour'
            WHERE id = ANY(%s)""",
        [rules.ids],
    )
    rules.invalidate_recordset()
    env.cr.execute("UPDATE neiqin_dq_change SET changed_at = now() - interval '1 day'")
    env.cr.precommit.data.pop("neiqin.dq.changes", None)


class CommittingCase(TransactionCase):
    """For a test alone in its class that commits through cursors of its
    own, each a transaction of its own as a request is, and deletes what it
    made: ``_env(cr)`` is the superuser's quiet environment on such a cursor."""

    QUIET = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_create_nosubscribe": True,
        "mail_notrack": True,
        "lang": "en_US",
    }

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, self.QUIET)

    @staticmethod
    def _db_now(cr):
        """The database's clock, in UTC, as the ORM writes dates."""
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        return cr.fetchone()[0]


class NeiqinAssertions:
    """Assertions every Neiqin module's tests share."""

    def assertFlagged(self, rule, expected, among=None):
        """Exactly ``expected`` (records of the rule's model) break ``rule``:
        checked now on ``among`` (default: a full scan of the rule's scope),
        then compared with the rule's open issues."""
        if among is None:
            rule._scan(full=True)
            issues = rule.issue_ids
        else:
            issues = among._neiqin_dq_check(rule).filtered(lambda i: i.rule_id == rule)
        flagged = self.env[rule.model_name].browse(
            issues.filtered(lambda i: i.state == "open").mapped("res_id")
        )
        if among is not None:
            flagged &= among
        self.assertEqual(
            set(flagged.ids),
            set(expected.ids),
            f"{rule.name}: flagged {flagged.mapped('display_name')}, "
            f"expected {expected.mapped('display_name')}",
        )


class NeiqinCase(NeiqinAssertions, TransactionCase):
    """Users of every back-office role, two teams and a process on
    ``neiqin.task`` with a Monday-Friday 9-12 / 13-18 calendar in UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, lang="en_US"))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env, "nq_manager", groups="neiqin_base.group_neiqin_manager"
        )
        cls.lead = new_test_user(cls.env, "nq_lead", groups="neiqin_base.group_neiqin_lead")
        cls.clerk = new_test_user(cls.env, "nq_clerk", groups="neiqin_base.group_neiqin_clerk")
        cls.clerk2 = new_test_user(cls.env, "nq_clerk2", groups="neiqin_base.group_neiqin_clerk")
        cls.outsider = new_test_user(cls.env, "nq_user", groups="base.group_user")
        # Messages are asserted in English whatever languages are installed.
        (cls.manager | cls.lead | cls.clerk | cls.clerk2 | cls.outsider).lang = "en_US"
        cls.team = cls.env["neiqin.team"].create(
            {
                "name": "Test Desk",
                "lead_user_id": cls.lead.id,
                "member_ids": [Command.set([cls.clerk.id, cls.lead.id])],
            }
        )
        cls.team2 = cls.env["neiqin.team"].create(
            {
                "name": "Other Desk",
                "lead_user_id": cls.lead.id,
                "member_ids": [Command.set([cls.clerk2.id])],
            }
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test 9-18",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in ((9, 12, "morning"), (13, 18, "afternoon"))
                ],
            }
        )
        cls.process = cls.env["neiqin.process"].create(
            {
                "name": "Test Process",
                "code": "test_process",
                "model_name": "neiqin.task",
                "calendar_id": cls.calendar.id,
                "step_ids": [
                    Command.create(
                        {
                            "code": "one",
                            "name": "One",
                            "sequence": 1,
                            "deadline_hours": 4,
                            "escalation_hours": 2,
                            "owner_type": "team",
                            "owner_team_id": cls.team.id,
                        }
                    ),
                    Command.create(
                        {
                            "code": "two",
                            "name": "Two",
                            "sequence": 2,
                            "deadline_hours": 8,
                            "owner_type": "user",
                            "owner_user_id": cls.clerk2.id,
                            "owner_team_id": cls.team2.id,
                        }
                    ),
                    Command.create(
                        {
                            "code": "three",
                            "name": "Three",
                            "sequence": 3,
                            "deadline_hours": 1,
                            "owner_type": "team",
                            "owner_team_id": cls.team.id,
                        }
                    ),
                ],
            }
        )
        cls.step1, cls.step2, cls.step3 = cls.process.step_ids

    @classmethod
    def _dq_setup(cls):
        """Shortcuts of the data-quality tests: contacts and their rules."""
        cls.Partner = cls.env["res.partner"]
        cls.Rule = cls.env["neiqin.dq.rule"]
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.country = cls.env.ref("base.cn")

    @classmethod
    def _task(cls, name="Task", user=None, **vals):
        return cls.env["neiqin.task"].create(
            {
                "name": name,
                "process_id": cls.process.id,
                "user_id": (user or cls.clerk).id,
                "team_id": cls.team.id,
                **vals,
            }
        )

    @staticmethod
    def dt(text):
        return datetime.fromisoformat(text)


class NeiqinDqCase(NeiqinCase):
    """Contacts to check (``ref`` DQE-...) and a way to make data-quality
    rules on them, for the tests of the scan engine's modules."""

    SCOPE = "[('ref', '=like', 'DQE-%')]"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dq_setup()
        cls.with_email = cls._partner("with_email", email="a@example.com", city="Shanghai")
        cls.no_email = cls._partner("no_email", city="Beijing", country_id=cls.country.id)

    @classmethod
    def _partner(cls, ref, **vals):
        return cls.env["res.partner"].create({"name": ref, "ref": f"DQE-{ref}", **vals})

    def _rule(self, rule_type, fields=(), **vals):
        values = {
            "name": f"Engine {rule_type}",
            "model_id": self.partner_model.id,
            "rule_type": rule_type,
            "scope_domain": self.SCOPE,
            **vals,
        }
        if fields:
            values["field_ids"] = [
                Command.set([self.env["ir.model.fields"]._get("res.partner", f).id for f in fields])
            ]
        return self.Rule.create(values)

    def _age(self, rules):
        """Date every contact (those the test made too), and what was
        written of them, a day back, and the rules' last scan an hour back:
        what follows is a change."""
        age_changes(self.env, rules)
