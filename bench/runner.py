"""Benchmark runner: build the data set once, run every scenario, report.

Run through ``make bench``; arguments: database name, scale, output folder.
"""

import contextlib
import importlib
import json
import os
import pkgutil
import platform
import socket
import statistics
import sys
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_KEY = "neiqin_bench.data_scale"


WAYS = ("ours", "naive", "sql", "peer")
# A way is run at least MIN_RUNS times, and again while its runs took less
# than REPEAT_SECONDS in all, at most MAX_RUNS times; its time is their
# median.
MIN_RUNS = 3
REPEAT_SECONDS = 2.0
MAX_RUNS = 5
# A first run shorter than this warms up and is not counted; a longer one
# is counted (what it spends warming up is a small part of it), and is the
# only run of its way.
WARM_UP_SECONDS = 30.0


@dataclass
class Scenario:
    """One measured task. Each callable takes an Odoo environment; ``records``
    returns how many records the task covers.

    ``ours`` is the way Neiqin does it; ``naive`` the per-record loop;
    ``sql`` a single hand-written query (the lower bound); ``peer`` the same
    task done by another product (``peer_name``). ``setup`` runs untimed
    before each way (``peer_setup`` before the peer), ``teardown`` after it
    (for ways whose writes are committed by another process or connection,
    such as XML-RPC calls).
    ``max_queries_per_1000`` is the bound the smoke tests assert."""

    name: str
    records: callable
    ours: callable
    naive: callable = None
    sql: callable = None
    peer: callable = None
    peer_name: str = ""
    peer_setup: callable = None
    setup: callable = None
    teardown: callable = None
    notes: str = ""
    max_queries: int = None
    max_queries_per_1000: float = None
    results: dict = field(default_factory=dict)


def _plugins(package):
    module = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        yield importlib.import_module(f"{package}.{info.name}")


def progress(message):
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def build_data(env, scale):
    """Run each generator not yet run at this scale (each is marked when done,
    so a new generator runs on an existing benchmark database too); return
    whether one ran."""
    params = env["ir.config_parameter"].sudo()
    built = False
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
        built = True
        progress(f"... done in {time.perf_counter() - started:.1f} s")
    return built


def vacuum(dbname, tables=(), analyze=True):
    """VACUUM [ANALYZE] the database, or some of its tables.

    After building: as autovacuum does a database in use soon after large
    writes (otherwise it starts on the new rows while the first scenarios
    are measured, and competes with them for the cores)."""
    import odoo
    from odoo.tools import SQL

    command = SQL("VACUUM ANALYZE" if analyze else "VACUUM")
    if tables:
        command = SQL("%s %s", command, SQL(", ").join(map(SQL.identifier, tables)))
    with contextlib.closing(odoo.sql_db.db_connect(dbname).cursor()) as cr:
        cr._cnx.autocommit = True  # VACUUM cannot run inside a transaction
        try:
            cr.execute(command)
        finally:
            cr._cnx.autocommit = False  # the connection goes back to the pool


def scenarios():
    """Every scenario of every plugin, in file-name order."""
    for plugin in _plugins("bench.scenarios"):
        yield from plugin.SCENARIOS


def _query_count():
    # Counted over every cursor of the process: XML-RPC calls are served by
    # the in-process HTTP server's threads, with cursors of their own.
    from odoo import sql_db

    return sql_db.sql_counter


@contextlib.contextmanager
def _isolated(env, savepoint):
    """Undo the writes of the block: roll the transaction back, or (inside a
    test, whose transaction must survive) a savepoint."""
    env.invalidate_all()
    if savepoint:
        # A flushing savepoint: closing it clears the caches and rolls back.
        with contextlib.closing(env.cr.savepoint()):
            yield
        env.invalidate_all()
    else:
        env.cr.rollback()
        try:
            yield
        finally:
            env.cr.rollback()
            env.invalidate_all()


def measure(env, func, setup=None, teardown=None, savepoint=False):
    """Wall time and queries of ``func(env)``: the median time of at least
    MIN_RUNS runs, run again while their total stays under REPEAT_SECONDS,
    at most MAX_RUNS (a single run is at the mercy of the machine), and the
    most queries a run issued. A first run shorter than WARM_UP_SECONDS
    only warms up (the database's buffers and Odoo's caches, as a server in
    use has them) and is not counted; a longer one is the only run. Inside
    a test, one run.

    Each run comes after the untimed ``setup(env)``; the writes of both are
    undone, then ``teardown(env)`` runs (committed outside a test)."""
    times, queries = [], 0
    if not savepoint:
        elapsed, queries = _measure_once(env, func, setup, teardown, savepoint)
        if elapsed >= WARM_UP_SECONDS:
            times.append(elapsed)
    while not _enough(times):
        elapsed, count = _measure_once(env, func, setup, teardown, savepoint)
        times.append(elapsed)
        queries = max(queries, count)
        if savepoint:
            break
    return {
        "seconds": round(statistics.median(times), 4),
        "queries": queries,
        "runs": [round(t, 4) for t in times],
    }


def _enough(times):
    if not times:
        return False
    if times[0] >= WARM_UP_SECONDS or len(times) >= MAX_RUNS:
        return True
    return len(times) >= MIN_RUNS and sum(times) >= REPEAT_SECONDS


def _measure_once(env, func, setup, teardown, savepoint):
    with _isolated(env, savepoint):
        if setup:
            setup(env)
            env.flush_all()
        before = _query_count()
        started = time.perf_counter()
        func(env)
        env.flush_all()
        elapsed = time.perf_counter() - started
        queries = _query_count() - before
    if teardown:
        teardown(env)
        env.flush_all()
        if not savepoint:
            env.cr.commit()
    return elapsed, queries


def run_scenario(env, scenario, ways=WAYS, savepoint=False):
    records = scenario.records(env)
    row = {"scenario": scenario.name, "records": records, "notes": scenario.notes}
    for way in ways:
        func = getattr(scenario, way)
        if func:
            setup = (way == "peer" and scenario.peer_setup) or scenario.setup
            row[way] = measure(env, func, setup, scenario.teardown, savepoint)
    ours = row["ours"]
    ours["queries_per_1000"] = round(ours["queries"] * 1000 / records, 2) if records else None
    for way in ("naive", "peer"):
        if way in row and ours["seconds"]:
            row[f"{way}_ratio"] = round(row[way]["seconds"] / ours["seconds"], 2)
    if "peer" in row:
        row["peer_name"] = scenario.peer_name
    if "sql" in row and row["sql"]["seconds"]:
        row["sql_ratio"] = round(ours["seconds"] / row["sql"]["seconds"], 2)
    return row


def run(env, scale, only=None):
    rows = []
    ways = [w for w in os.environ.get("WAYS", "").split(",") if w] or WAYS
    for scenario in scenarios():
        if only and not any(word in scenario.name for word in only):
            continue
        progress(f"{scenario.name} ...")
        row = run_scenario(env, scenario, ways=ways)
        rows.append(row)
        parts = [f"{way} {row[way]['seconds']} s" for way in WAYS if way in row]
        progress(f"... {', '.join(parts)}; {row['ours']['queries']} queries")
    return rows


_SERVER = {}


def server_url(env):
    """The address of an XML-RPC server on this database: the test server
    inside tests (context key ``bench_url``), else an HTTP server started
    once in this process on a free loopback port."""
    if env.context.get("bench_url"):
        return env.context["bench_url"]
    if "url" not in _SERVER:
        import odoo
        from odoo.service.server import ThreadedServer

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        odoo.tools.config["http_interface"] = "127.0.0.1"
        odoo.tools.config["http_port"] = port
        server = ThreadedServer(odoo.http.root)
        server.http_spawn()
        _SERVER.update(server=server, url=f"http://127.0.0.1:{port}")
    return _SERVER["url"]


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
        "peer s",
        "peer/ours",
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
                f"{r['peer']['seconds']:.4f}" if "peer" in r else "-",
                str(r.get("peer_ratio", "-")),
            )
        )
    return _columns(lines)


def _columns(lines):
    """Text lines of cells, each column as wide as its widest cell."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines)


def scaling(rows, scale, outdir):
    """Compare with the full run at scale 1, when this is another scale:
    time and records ratios per scenario (linear or better: time ratio at
    most the records ratio, within the target of 6 for scale 5)."""
    path = os.path.join(outdir, "results-scale-1.json")
    if scale == 1 or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        base = {r["scenario"]: r for r in json.load(fh)["rows"]}
    lines = [("scenario", "records x", "ours s at 1", f"ours s at {scale:g}", "time x")]
    result = []
    for row in rows:
        before = base.get(row["scenario"])
        if not before or not before["ours"]["seconds"]:
            continue
        time_ratio = round(row["ours"]["seconds"] / before["ours"]["seconds"], 2)
        records_ratio = round(row["records"] / before["records"], 2) if before["records"] else None
        result.append(
            {"scenario": row["scenario"], "records_ratio": records_ratio, "time_ratio": time_ratio}
        )
        lines.append(
            (
                row["scenario"],
                str(records_ratio),
                f"{before['ours']['seconds']:.4f}",
                f"{row['ours']['seconds']:.4f}",
                str(time_ratio),
            )
        )
    print()
    print(_columns(lines))
    return result


def main(dbname, scale, outdir, only=""):
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
        if build_data(env, scale):
            started = time.perf_counter()
            progress("VACUUM ANALYZE ...")
            vacuum(dbname)
            progress(f"... done in {time.perf_counter() - started:.1f} s")
        rows = run(env, scale, [w for w in only.split(",") if w])
    print()
    print(table(rows))
    scaled = scaling(rows, scale, outdir)
    os.makedirs(outdir, exist_ok=True)
    suffix = "-partial" if only else ""
    path = os.path.join(outdir, f"results-scale-{scale:g}{suffix}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "scale": scale,
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "when": time.strftime("%Y-%m-%d %H:%M:%S"),
                "rows": rows,
                "scaling_from_scale_1": scaled,
            },
            fh,
            indent=2,
        )
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
