"""Benchmark runner: build the data set once, run every scenario, report.

Run through ``make bench``; arguments: database name, scale, output folder.
"""

import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_KEY = "neiqin_bench.data_scale"


@dataclass
class Scenario:
    """One measured task. Each callable takes an Odoo environment; ``records``
    returns how many records the task covers."""

    name: str
    records: callable
    ours: callable
    naive: callable = None
    sql: callable = None
    setup: callable = None
    notes: str = ""
    results: dict = field(default_factory=dict)


def _plugins(package):
    module = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        yield importlib.import_module(f"{package}.{info.name}")


def progress(message):
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def build_data(env, scale):
    """Run each generator not yet run at this scale (each is marked when done,
    so a new generator runs on an existing benchmark database too)."""
    params = env["ir.config_parameter"].sudo()
    for plugin in _plugins("bench.data"):
        name = plugin.__name__.rsplit(".", 1)[-1]
        key = f"{DATA_KEY}.{name}"
        if params.get_param(key) == str(scale):
            progress(f"{name}: already built")
            continue
        started = time.perf_counter()
        progress(f"building {name} ...")
        plugin.generate(env, scale, progress)
        params.set_param(key, str(scale))
        env.cr.commit()
        progress(f"... done in {time.perf_counter() - started:.1f} s")


def measure(env, func, setup=None):
    """Wall time and queries of ``func(env)``, after the untimed ``setup(env)``;
    the writes of both are rolled back."""
    env.invalidate_all()
    env.cr.rollback()
    if setup:
        setup(env)
        env.flush_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    func(env)
    env.flush_all()
    elapsed = time.perf_counter() - started
    queries = env.cr.sql_log_count - before
    env.cr.rollback()
    env.invalidate_all()
    return {"seconds": round(elapsed, 4), "queries": queries}


def run(env, scale):
    rows = []
    for plugin in _plugins("bench.scenarios"):
        for scenario in plugin.SCENARIOS:
            records = scenario.records(env)
            row = {"scenario": scenario.name, "records": records, "notes": scenario.notes}
            for way in ("ours", "naive", "sql"):
                func = getattr(scenario, way)
                if func:
                    row[way] = measure(env, func, scenario.setup)
            ours = row["ours"]
            ours["queries_per_1000"] = (
                round(ours["queries"] * 1000 / records, 2) if records else None
            )
            if "naive" in row and ours["seconds"]:
                row["naive_ratio"] = round(row["naive"]["seconds"] / ours["seconds"], 2)
            if "sql" in row and row["sql"]["seconds"]:
                row["sql_ratio"] = round(ours["seconds"] / row["sql"]["seconds"], 2)
            rows.append(row)
            progress(f"{scenario.name}: {ours['seconds']} s, {ours['queries']} queries")
    return rows


def table(rows):
    header = (
        "scenario",
        "records",
        "ours s",
        "queries",
        "q/1000",
        "naive s",
        "naive/ours",
        "sql s",
        "ours/sql",
    )
    lines = [header]
    for r in rows:
        lines.append(
            (
                r["scenario"],
                str(r["records"]),
                f"{r['ours']['seconds']:.4f}",
                str(r["ours"]["queries"]),
                str(r["ours"]["queries_per_1000"]),
                f"{r['naive']['seconds']:.4f}" if "naive" in r else "-",
                str(r.get("naive_ratio", "-")),
                f"{r['sql']['seconds']:.4f}" if "sql" in r else "-",
                str(r.get("sql_ratio", "-")),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines)


def main(dbname, scale, outdir):
    sys.path.insert(0, ROOT)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["-c", os.path.join(ROOT, ".data", "odoo.conf"), "-d", dbname, "--log-level=warn"]
    )
    scale = float(scale)
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        print(
            f"Neiqin benchmark, scale {scale:g}, database {dbname}, {os.cpu_count()} cores",
            flush=True,
        )
        build_data(env, scale)
        rows = run(env, scale)
    print()
    print(table(rows))
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"results-scale-{scale:g}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "scale": scale,
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "when": time.strftime("%Y-%m-%d %H:%M:%S"),
                "rows": rows,
            },
            fh,
            indent=2,
        )
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
