from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDqRuleForm(HttpCase):
    """The rule form as the back office sees it: the domain widgets of its
    conditions read the rule's model and the fields of the model it checks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, "nq_form_clerk", groups="neiqin_base.group_neiqin_clerk")
        cls.lead = new_test_user(cls.env, "nq_form_lead", groups="neiqin_base.group_neiqin_lead")
        # The back office works in Chinese.
        cls.env["res.lang"]._activate_lang("zh_CN")
        (cls.clerk | cls.lead).lang = "zh_CN"
        cls.rule = cls.env["neiqin.dq.rule"].create(
            {
                "name": "No way to reach the contact",
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "rule_type": "domain",
                "bad_record_domain": "[('phone', '=', False), ('email', '=', False), "
                "('is_company', '=', False)]",
                "scope_domain": "[('active', '=', True), ('type', '=', 'contact'), "
                "('user_ids', '=', False)]",
            }
        )

    def _what_the_widgets_read(self, user):
        """What the form's domain widgets read, as ``user``: the rule's
        model, the fields of the rule and of its model, the records counted."""
        rule = self.rule.with_user(user)
        model_name = rule.read(["model_name", "model_id"])[0]["model_name"]
        self.assertEqual(model_name, "res.partner")
        self.assertIn("bad_record_domain", rule.fields_get(["bad_record_domain"]))
        Target = self.env[model_name].with_user(user)
        described = Target.fields_get(["phone", "email", "is_company", "type", "user_ids"])
        self.assertEqual(
            dict(described["type"]["selection"])["contact"],
            dict(self.env[model_name].fields_get(["type"])["type"]["selection"])["contact"],
        )
        for text in (self.rule.bad_record_domain, self.rule.scope_domain):
            Target.search_count(rule._eval_domain(text))

    def test_clerk_reads_what_the_rule_form_needs(self):
        self._what_the_widgets_read(self.clerk)

    def test_lead_reads_what_the_rule_form_needs(self):
        self._what_the_widgets_read(self.lead)

    def _open_form(self, login):
        self.start_tour(
            f"/odoo/action-neiqin_base.action_neiqin_dq_rule/{self.rule.id}",
            "neiqin_base_dq_rule_form_tour",
            login=login,
        )

    def test_clerk_sees_the_rule_conditions(self):
        self._open_form("nq_form_clerk")

    def test_lead_sees_the_rule_conditions(self):
        self._open_form("nq_form_lead")

    def test_rule_on_records_the_clerk_may_not_read_shows_its_conditions_as_text(self):
        rule = self.env["neiqin.dq.rule"].create(
            {
                "name": "Scheduled action never runs",
                "model_id": self.env["ir.model"]._get("ir.cron").id,
                "rule_type": "domain",
                "bad_record_domain": "[('interval_number', '=', 0)]",
                "scope_domain": "[('interval_number', '<', 1)]",
            }
        )
        self.assertFalse(rule.with_user(self.clerk).can_read_model)
        self.assertTrue(self.rule.with_user(self.clerk).can_read_model)
        self.start_tour(
            f"/odoo/action-neiqin_base.action_neiqin_dq_rule/{rule.id}",
            "neiqin_base_dq_rule_form_text_tour",
            login="nq_form_clerk",
        )

    def test_shipped_rules_are_readable_to_the_back_office(self):
        """Every shipped rule's records are readable to a clerk and a lead:
        the form shows their conditions with the domain widget."""
        Rule = self.env["neiqin.dq.rule"].with_context(active_test=False)
        rules = Rule.browse(
            self.env["ir.model.data"]
            .search([("model", "=", "neiqin.dq.rule"), ("module", "=like", "neiqin_%")])
            .mapped("res_id")
        ).exists()
        for user in (self.clerk, self.lead):
            unreadable = rules.with_user(user).filtered(lambda r: not r.can_read_model)
            self.assertFalse(unreadable.mapped("name"), user.login)
