"""Customers: 20,000 per scale unit, about one in ten with a flaw that the
data-quality rules catch (missing phone, malformed email, shared email,
missing country, impossible latitude). Written with COPY."""

import io
import random
from datetime import timedelta

from odoo import fields

from bench.rows import recompute

PER_SCALE = 20_000
COLUMNS = (
    "name",
    "complete_name",
    "email",
    "phone",
    "street",
    "city",
    "zip",
    "country_id",
    "partner_latitude",
    "active",
    "type",
    "is_company",
    "customer_rank",
    "supplier_rank",
    "company_id",
    "lang",
    "ref",
    "autopost_bills",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)
CITIES = ("Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Xi'an")


def generate(env, scale, progress):
    rng = random.Random(7)
    total = int(PER_SCALE * scale)
    country = env.ref("base.cn").id
    company = env.ref("base.main_company").id
    now = fields.Datetime.now()
    buffer = io.StringIO()
    for index in range(total):
        name = f"Bench Customer {index:06d}"
        flaw = rng.random()
        email = f"customer{index}@example.com"
        phone = f"+86 138 {index % 10000:04d} {rng.randint(0, 9999):04d}"
        country_id, latitude = str(country), f"{rng.uniform(20, 45):.4f}"
        if flaw < 0.02:
            phone = ""
        elif flaw < 0.04:
            email = f"customer{index}@example"
        elif flaw < 0.06:
            email = f"shared{index % 100}@example.com"
        elif flaw < 0.08:
            country_id = ""
        elif flaw < 0.10:
            latitude = "123.0"
        row = (
            name,
            name,
            email,
            phone,
            f"{rng.randint(1, 999)} Bench Road",
            rng.choice(CITIES),
            f"{rng.randint(100000, 999999)}",
            country_id,
            latitude,
            "t",
            "contact",
            "f",
            "1",
            "0",
            str(company),
            "en_US",
            f"BENCH-{index:06d}",
            "always",
            "1",
            "1",
            # Entered over the last 90 days, unchanged for two days at least.
            str(now - timedelta(days=2, minutes=rng.randint(0, 88 * 1440))),
            str(now - timedelta(days=2)),
        )
        buffer.write("\t".join(v.replace("\t", " ") if v != "" else "\\N" for v in row) + "\n")
    buffer.seek(0)
    env.cr._obj.copy_from(buffer, "res_partner", columns=COLUMNS)
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE %s", ["BENCH-%"]
    )
    env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE %s ORDER BY id", ["BENCH-%"])
    recompute(env, "res.partner", [row[0] for row in env.cr.fetchall()], ["neiqin_phone_valid"])
    # Computing the phone check wrote write_date: the data is older than that.
    env.cr.execute(
        "UPDATE res_partner SET write_date = now() - interval '2 days' WHERE ref LIKE %s",
        ["BENCH-%"],
    )
    for table in ("res_partner",):
        env.cr.execute(f"ANALYZE {table}")  # noqa: S608
    progress(f"partners: {total:,}")
