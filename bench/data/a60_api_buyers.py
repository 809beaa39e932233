"""The marketplace buyers the XML-RPC upsert scenario sends orders for:
1,000 customers known by their platform buyer id (``ref``), as a connector
that has synchronised before finds them. Written with COPY."""

from bench.rows import copy_rows, recompute, sample_rows

BUYERS = 1_000
# A platform code the API accepts, apart from the generated orders' ("shop"):
# the scenario deletes the orders of this platform after its runs.
PLATFORM = "other"


def buyer_ref(index):
    return f"{PLATFORM}:buyer-{index:04d}"


def generate(env, scale, progress):
    country = env.ref("base.cn")

    def build():
        return [env["res.partner"].create({"name": "Bench buyer", "customer_rank": 1})]

    (base,) = sample_rows(env, build)
    rows = (
        {
            "name": f"Bench Buyer {index:04d}",
            "complete_name": f"Bench Buyer {index:04d}",
            "ref": buyer_ref(index),
            "email": f"buyer{index:04d}@example.com",
            "phone": f"+86 139 {index:04d} 0000",
            "street": f"{index} Bench Avenue",
            "city": "Shanghai",
            "zip": "200001",
            "country_id": country.id,
            "commercial_partner_id": None,  # set to itself below
        }
        for index in range(BUYERS)
    )
    copy_rows(env, "res_partner", base, rows, progress, "API buyers")
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE %s RETURNING id",
        [f"{PLATFORM}:%"],
    )
    recompute(env, "res.partner", [row[0] for row in env.cr.fetchall()], ["neiqin_phone_valid"])
