"""Date the records data-quality rules read as in a database in use: written
days before the benchmark's last scan, not minutes ago as the template's
install and the generators above wrote some of them (back-office users,
marketplace buyers, countries, categories, the template's own products).
An incremental rescan then finds only the changes a scenario makes."""

TABLES = ("res_partner", "res_country", "product_template", "product_product", "product_category")


def generate(env, scale, progress):
    for table in TABLES:
        env.cr.execute(
            f"UPDATE {table} SET write_date = now() - interval '30 days' "  # noqa: S608
            "WHERE write_date > now() - interval '1 day'"
        )
        progress(f"{table}: {env.cr.rowcount:,} dated back")
        env.cr.execute(f"ANALYZE {table}")  # noqa: S608
