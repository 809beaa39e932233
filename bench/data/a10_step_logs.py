"""Step logs: 500,000 per scale unit, 95 % finished, the rest open with
deadlines from three days ago to three days ahead (written with COPY)."""

import io
import random
from datetime import timedelta

from odoo import fields

PER_SCALE = 500_000
COLUMNS = (
    "res_model",
    "res_id",
    "res_name",
    "process_id",
    "step_id",
    "company_id",
    "owner_user_id",
    "state",
    "entered_at",
    "deadline_at",
    "escalate_at",
    "done_at",
    "is_late",
    "paused_hours",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)


def generate(env, scale, progress):
    rng = random.Random(20261125)
    total = int(PER_SCALE * scale)
    steps = env.ref("neiqin_base.process_data").step_ids
    company = env.ref("base.main_company").id
    owner = env.ref("base.user_admin").id
    now = fields.Datetime.now()
    chunk = 100_000
    for start in range(0, total, chunk):
        buffer = io.StringIO()
        for index in range(start, min(start + chunk, total)):
            step = steps[index % len(steps)]
            entered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
            is_open = rng.random() < 0.05
            deadline = (
                (now + timedelta(minutes=rng.randint(-3 * 1440, 3 * 1440)))
                if is_open
                else (entered + timedelta(hours=step.deadline_hours))
            )
            done = "" if is_open else str(entered + timedelta(minutes=rng.randint(10, 600)))
            row = (
                "neiqin.task",
                str(index + 1),
                f"Bench task {index + 1}",
                str(step.process_id.id),
                str(step.id),
                str(company),
                str(owner),
                "open" if is_open else "done",
                str(entered),
                str(deadline),
                str(deadline + timedelta(hours=4)),
                done,
                "f",
                "0",
                "1",
                "1",
                str(now),
                str(now),
            )
            buffer.write("\t".join(v if v != "" else "\\N" for v in row) + "\n")
        buffer.seek(0)
        env.cr._obj.copy_from(buffer, "neiqin_step_log", columns=COLUMNS)
        progress(f"step logs: {min(start + chunk, total):,} / {total:,}")
    env.cr.execute("ANALYZE neiqin_step_log")
