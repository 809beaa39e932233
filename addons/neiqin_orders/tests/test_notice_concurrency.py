"""Two connector workers pulling one platform's queue at the same moment,
each in a transaction of its own, as two requests are."""

import threading

from odoo import Command
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.neiqin_base.tests.common import CommittingCase

from .common import API_GROUPS

NOTICES = 40
WORKER_GROUPS = f"{API_GROUPS},neiqin_base.group_neiqin_connector"


@tagged("post_install", "-at_install")
class TestConcurrentPulls(CommittingCase):
    """Alone in its class (see ``CommittingCase``)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            # A platform of its own: the demo's queued notices stay as they are.
            platform = env["neiqin.platform"].create({"name": "Race", "code": "race_pdd"})
            users = env["res.users"]
            for n in (1, 2):
                users |= env["res.users"].create(
                    {
                        "name": f"PDD worker {n}",
                        "login": f"race_notice_worker_{n}",
                        "lang": "en_US",
                        "groups_id": [
                            Command.set([env.ref(g).id for g in WORKER_GROUPS.split(",")])
                        ],
                        "neiqin_platform_ids": [Command.set(platform.ids)],
                    }
                )
            partner = env["res.partner"].create({"name": "Race notice buyer"})
            # The queue itself: notices of documents that need not exist.
            notices = env["neiqin.notice"].create(
                [
                    {
                        "res_model": "res.partner",
                        "res_id": 10**9 + n,
                        "res_name": f"RACE-N-{n}",
                        "company_id": env.company.id,
                        "partner_id": partner.id,
                        "platform_id": platform.id,
                        "platform_ref": f"RACE-N-{n}",
                        "kind": "confirmed",
                        "channel": "platform",
                        "body": "Hello",
                    }
                    for n in range(NOTICES)
                ]
            )
            self.ids = {
                "users": users.ids,
                "partner": partner.id,
                "notices": notices.ids,
                "platform": platform.id,
            }
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            cr.execute(SQL("DELETE FROM neiqin_notice WHERE id = ANY(%s)", self.ids["notices"]))
            users = env["res.users"].browse(self.ids["users"])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()
            env["neiqin.platform"].browse(self.ids["platform"]).unlink()

    @mute_logger("odoo.service.model")
    def test_two_pullers_split_the_queue_with_no_notice_twice(self):
        pulled = {}
        started = threading.Barrier(2)

        def pull(user_id):
            got = []
            started.wait(30)
            while True:
                # One request per page, replayed by Odoo after a
                # serialization failure as every RPC call is.
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    outbox = env["neiqin.notice"].with_user(user_id)
                    page = retrying(
                        lambda outbox=outbox: outbox.api_pull_notices("race_pdd", 7), env
                    )
                if not page:
                    break
                got += [n["id"] for n in page]
            pulled[user_id] = got

        threads = [threading.Thread(target=pull, args=(uid,)) for uid in self.ids["users"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        first, second = (pulled[uid] for uid in self.ids["users"])
        self.assertFalse(set(first) & set(second))
        self.assertEqual(len(first) + len(second), NOTICES)
        self.assertEqual(set(first) | set(second), set(self.ids["notices"]))

    def test_a_page_held_by_one_puller_is_skipped_by_the_other(self):
        first, second = self.ids["users"]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            page1 = (
                self._env(cr1)["neiqin.notice"].with_user(first).api_pull_notices("race_pdd", 10)
            )
            # cr1 has not committed: its rows are locked, not yet claimed.
            page2 = (
                self._env(cr2)["neiqin.notice"].with_user(second).api_pull_notices("race_pdd", 10)
            )
            cr2.commit()
            cr1.commit()
        ids1, ids2 = {n["id"] for n in page1}, {n["id"] for n in page2}
        self.assertEqual((len(ids1), len(ids2)), (10, 10))
        self.assertFalse(ids1 & ids2)
        self.assertEqual(sorted(ids1 | ids2), self.ids["notices"][:20])
