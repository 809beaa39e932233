"""A small run of every benchmark scenario (``make bench``) on a tiny data set.

It checks that the generators and scenarios work on the current code, and
asserts each scenario's query bound; it measures no time (that is the
benchmark's job, on its own database)."""

from odoo.tests import HttpCase
from odoo.tests.common import HOST
from odoo.tools import config

from bench import runner

from .common import as_neiqin_test

SCALE = 0.01
XMLRPC_ITEMS = 20


@as_neiqin_test
class TestBenchSmoke(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        messages = []
        for plugin in runner._plugins("bench.data"):
            plugin.generate(cls.env, SCALE, messages.append)
        cls.env.flush_all()
        cls.bench_env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                bench_url=f"http://{HOST}:{config['http_port']}",
                bench_items=XMLRPC_ITEMS,
            )
        )

    def test_every_scenario_within_its_query_bound(self):
        scenarios = list(runner.scenarios())
        self.assertGreaterEqual(len(scenarios), 6)
        for scenario in scenarios:
            with self.subTest(scenario=scenario.name):
                ways = ("ours", "naive", "sql")
                row = runner.run_scenario(self.bench_env, scenario, ways=ways, savepoint=True)
                self.assertGreater(row["records"], 0, "the tiny data set has records to work on")
                queries = row["ours"]["queries"]
                self.assertGreater(queries, 0)
                if scenario.max_queries is not None:
                    self.assertLessEqual(queries, scenario.max_queries)
                if scenario.max_queries_per_1000 is not None:
                    self.assertLessEqual(
                        row["ours"]["queries_per_1000"], scenario.max_queries_per_1000
                    )
                self.assertTrue(
                    scenario.max_queries is not None or scenario.max_queries_per_1000 is not None,
                    "every scenario states its query bound",
                )

    def test_review_finds_what_the_lower_bound_finds(self):
        """Ours and the hand-written statement agree on the exceptions."""
        from bench.scenarios import a05_order_review as review

        env = self.bench_env
        counts = {}
        for way in ("ours", "sql"):
            with runner._isolated(env, savepoint=True):
                review._setup(env)
                getattr(review, f"_{way}")(env)
                env.flush_all()
                env.cr.execute(
                    """SELECT rule_id, count(*) FROM neiqin_dq_issue
                        WHERE res_model = 'sale.order' AND state = 'open'
                        GROUP BY rule_id ORDER BY rule_id"""
                )
                counts[way] = env.cr.fetchall()
        self.assertTrue(counts["ours"])
        self.assertEqual(counts["ours"], counts["sql"])
