"""Back-office users: 200 per scale unit (one lead per 20 clerks), created
through the ORM in batches (a user brings its partner, groups and settings),
and the connector account the XML-RPC scenarios log in with."""

PER_SCALE = 200
BATCH = 100
CONNECTOR_LOGIN = "bench.connector"
CONNECTOR_PASSWORD = "bench-connector-key"


def generate(env, scale, progress):
    total = int(PER_SCALE * scale)
    clerk = env.ref("neiqin_base.group_neiqin_clerk")
    lead = env.ref("neiqin_base.group_neiqin_lead")
    salesman = env.ref("sales_team.group_sale_salesman")
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    for start in range(0, total, BATCH):
        Users.create(
            [
                {
                    "name": f"Bench Clerk {index:05d}",
                    "login": f"bench.clerk.{index:05d}",
                    "email": f"bench.clerk.{index:05d}@example.com",
                    "groups_id": [(6, 0, [(lead if index % 20 == 0 else clerk).id, salesman.id])],
                }
                for index in range(start, min(start + BATCH, total))
            ]
        )
        progress(f"users: {min(start + BATCH, total):,} / {total:,}")
    Users.create(
        {
            "name": "Bench Connector",
            "login": CONNECTOR_LOGIN,
            "password": CONNECTOR_PASSWORD,
            "groups_id": [
                (
                    6,
                    0,
                    [
                        clerk.id,
                        env.ref("sales_team.group_sale_salesman_all_leads").id,
                        env.ref("stock.group_stock_user").id,
                        env.ref("base.group_partner_manager").id,
                    ],
                )
            ],
        }
    )
