"""Who may do what on every Neiqin model: tables written by hand, checked by
trying each operation as the user.

MATRIX gives, per model and role, the operations the access rights allow
(r = read, w = write, c = create, u = unlink). REACH gives, per model with
record rules, which of their own company's records a role reaches. The
checks read, write, create and unlink real records as each user, every
attempt in a savepoint that is rolled back: what the tables allow must
succeed, everything else must be refused. ENGINE_OWNED lists the fields an
engine writes where the access rights let people write the record: they
are refused all the same.

A Neiqin model without its rows fails the tests, so every new model comes
with its decision here.
"""

from contextlib import closing
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .common import as_neiqin_test

ROLES = ("public", "portal", "user", "clerk", "lead", "manager")
NONE = dict.fromkeys(("public", "portal", "user"), "")
# Process definitions are shown on the documents every employee works on.
CONFIG = {"public": "", "portal": "", "user": "r"}

MATRIX = {
    # neiqin_base
    "neiqin.team": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.process": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.process.step": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    # Written by the process engine only.
    "neiqin.step.log": {**NONE, "clerk": "r", "lead": "r", "manager": "r"},
    "neiqin.responsibility": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    "neiqin.dq.rule": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    # Filed by the rule engine; people assign and discuss them.
    "neiqin.dq.issue": {**NONE, "clerk": "rw", "lead": "rw", "manager": "rwu"},
    "neiqin.task": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    # The engine's own log of written fields: written and pruned in SQL.
    "neiqin.dq.change": {**NONE, "clerk": "", "lead": "", "manager": "r"},
    "neiqin.step.pause.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # Gates are the modules' data: a manager renames them, archives them and
    # chooses their rules.
    "neiqin.gate": {**NONE, "clerk": "r", "lead": "r", "manager": "rw"},
    # Opened by clerks too: the override itself checks the lead.
    "neiqin.gate.override.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # Kept by the batch API helper as the calling user: every internal user
    # may call an API; administrators (not a role here) read and delete them.
    "neiqin.idempotency.key": {**NONE, "user": "rc", "clerk": "rc", "lead": "rc", "manager": "rc"},
    # Platforms are read by every employee's record rules (a connector's
    # platforms); managers maintain them.
    "neiqin.platform": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    # The outbox: queued and sent by the engine; clerks correct the text of
    # a notice not sent yet and send failed ones again. Never deleted: a
    # notice is queued once per document and kind.
    "neiqin.notice": {**NONE, "clerk": "rw", "lead": "rw", "manager": "rw"},
    "neiqin.notice.template": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    # neiqin_orders
    "neiqin.dispatch.rule": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    "neiqin.logistics.event": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    "neiqin.tracking.import.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    "neiqin.tracking.import.line": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # Opened by clerks only: the hold itself checks the clerk too.
    "neiqin.order.hold.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # neiqin_aftersales: standard replies and flow sheets are written by
    # leads and used by clerks; service types are data a manager renames.
    "neiqin.service.type": {**NONE, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.reply.template": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    "neiqin.service.flow": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    "neiqin.service.flow.line": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    # Opened by clerks only: sending checks the clerk too.
    "neiqin.reply.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # neiqin_aftersales
    # Configuration: clerks and leads choose a cause on a complaint, managers keep the list.
    "neiqin.complaint.cause": {**NONE, "clerk": "r", "lead": "r", "manager": "rwcu"},
    # neiqin_aftersales: satisfaction, member levels, feedback
    "neiqin.member.level": {**NONE, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.feedback.route": {**NONE, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.feedback": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    # A report (SQL view) over the ratings of tickets: read only.
    "neiqin.satisfaction.report": {**NONE, "clerk": "r", "lead": "r", "manager": "r"},
}
# neiqin_aftersales, returns: opened by clerks only (the actions check the
# clerk too); the decision on missing parts is a lead's.
MATRIX["neiqin.ticket.return.wizard"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"}
# Lines the customer keeps are removed from the wizard.
MATRIX["neiqin.ticket.return.wizard.line"] = {
    **NONE,
    "clerk": "rwcu",
    "lead": "rwcu",
    "manager": "rwcu",
}
MATRIX["neiqin.rma.inspection.wizard"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"}
MATRIX["neiqin.rma.decision.wizard"] = {**NONE, "clerk": "", "lead": "rwc", "manager": "rwc"}
# neiqin_catalog: clerks list products on channels; publishing is an action
# (the gate), removing a listing a manager's.
MATRIX["neiqin.product.listing"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
# neiqin_catalog, promotions: clerks prepare them (the actions check the
# lead), managers delete them; the checklist's results are the engine's.
MATRIX["neiqin.promotion"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.promotion.line"] = {**NONE, "clerk": "rwcu", "lead": "rwcu", "manager": "rwcu"}
MATRIX["neiqin.promotion.check"] = {**NONE, "clerk": "r", "lead": "r", "manager": "r"}
# Categories: opened by clerks only (applying checks the clerk too).
for _wizard in (
    "neiqin.recategorize.wizard",
    "neiqin.recategorize.line",
    "neiqin.category.suggest.wizard",
    "neiqin.category.suggest.line",
):
    MATRIX[_wizard] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"}
# Opened by clerks only: sending back checks the clerk, an own approval the manager.
MATRIX["neiqin.info.review.wizard"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"}
# neiqin_catalog: the forbidden words of the information standards, kept by leads.
MATRIX["neiqin.forbidden.word"] = {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"}
# neiqin_catalog, data maintenance: clerks type and check the day's figures
# (confirming is a lead's action) and run cleanings; the cleaning log is
# written by the engine, never deleted.
MATRIX["neiqin.reconciliation"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.reconciliation.line"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.cleaning"] = {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.cleaning.line"] = {**NONE, "clerk": "rw", "lead": "rw", "manager": "rw"}

# Record rules. How a record relates to the acting user:
#   own         they own it (responsible, assignee, owner)
#   team        it is their team's, owned by a team mate
#   unassigned  nobody owns it
#   reported    they reported it; someone of another team owns it
#   created     they created it; someone of another team owns it
#   other       someone of another team owns it
#   company     it is their company's (models without owners)
#   shared      it belongs to no company
# and always "elsewhere": another company's record, which no role reaches
# (the users belong to one company). Each row: the relations the model
# has, then those a clerk reaches. Leads and managers reach every record of
# their company; other users are stopped by the access rights.
REACH = {
    "neiqin.team": ("company shared", "company shared"),
    "neiqin.process": ("company shared", "company shared"),
    "neiqin.process.step": ("company shared", "company shared"),
    "neiqin.step.log": ("own team unassigned other", "own team"),
    "neiqin.responsibility": ("own team reported other", "own team reported"),
    "neiqin.dq.rule": ("company shared", "company shared"),
    "neiqin.dq.issue": ("own team unassigned other", "own team unassigned"),
    "neiqin.task": ("own team created unassigned other", "own team created"),
    "neiqin.idempotency.key": ("own other", "own"),
    "neiqin.dispatch.rule": ("company", "company"),
    "neiqin.logistics.event": ("company", "company"),
    "neiqin.notice": ("company", "company"),
    "neiqin.reply.template": ("company shared", "company shared"),
    "neiqin.service.flow": ("company shared", "company shared"),
    "neiqin.service.flow.line": ("company shared", "company shared"),
    "neiqin.member.level": ("company shared", "company shared"),
    "neiqin.feedback.route": ("company shared", "company shared"),
    "neiqin.feedback": ("own created other", "own created"),
    "neiqin.satisfaction.report": ("own other", "own"),
    "neiqin.product.listing": ("company shared", "company shared"),
    "neiqin.promotion": ("company", "company"),
    "neiqin.promotion.line": ("company", "company"),
    "neiqin.promotion.check": ("company", "company"),
    "neiqin.forbidden.word": ("company shared", "company shared"),
    "neiqin.reconciliation": ("company", "company"),
    "neiqin.reconciliation.line": ("company", "company"),
    "neiqin.cleaning": ("company", "company"),
    "neiqin.cleaning.line": ("company", "company"),
}

# What a write attempt changes: a field the roles allowed to write may write.
WRITES = {
    "neiqin.team": {"sequence": 5},
    "neiqin.process": {"sequence": 5},
    "neiqin.process.step": {"sequence": 5},
    "neiqin.step.log": {"pause_reason": "Edited by hand"},
    "neiqin.responsibility": {"cause": "Edited by hand"},
    "neiqin.dq.rule": {"sequence": 5},
    "neiqin.dq.issue": {"note": "Edited by hand"},
    "neiqin.task": {"priority": "1"},
    "neiqin.idempotency.key": {"result": "{}"},
    "neiqin.dispatch.rule": {"sequence": 5},
    "neiqin.logistics.event": {"location": "Edited by hand"},
    "neiqin.notice": {"body": "Edited by hand"},
    "neiqin.reply.template": {"sequence": 5},
    "neiqin.service.flow": {"sequence": 5},
    "neiqin.service.flow.line": {"instructions": "Edited by hand"},
    "neiqin.member.level": {"sequence": 5},
    "neiqin.feedback.route": {"sequence": 5},
    "neiqin.feedback": {"subject": "Edited by hand"},
    "neiqin.satisfaction.report": {"rating": 3},
    "neiqin.product.listing": {"channel_title": "Edited by hand"},
    "neiqin.promotion": {"name": "Edited by hand"},
    "neiqin.promotion.line": {"expected_qty": 7},
    "neiqin.promotion.check": {"detail": "Edited by hand"},
    "neiqin.forbidden.word": {"note": "Edited by hand"},
    "neiqin.reconciliation": {"date": "2001-01-01"},
    "neiqin.reconciliation.line": {"note": "Edited by hand"},
    "neiqin.cleaning": {"name": "Edited by hand"},
    "neiqin.cleaning.line": {"note": "Edited by hand"},
}
# Step logs refuse every edit by their own guard (a UserError), before the
# access rights are even read. A rule shared by every company is changed only
# by a user of every company (a ValidationError naming the rule).
REFUSALS = {
    "neiqin.step.log": (AccessError, UserError),
    "neiqin.dq.rule": (AccessError, ValidationError),
}
# Records whose creation reads a linked record: the access rights allow it
# only to users who may read that record too (an event checks that its
# delivery was shipped; the back-office roles alone may not read deliveries).
CREATE_READS = {"neiqin.logistics.event": "picking_id"}
# Models whose every role, leads and managers too, reaches only its own
# records (as a clerk does in REACH).
OWN_ONLY = {"neiqin.idempotency.key"}
# Records roles may read but change only in part of their reach: the users
# of these tests work for one company of two, so no one of them changes a
# rule shared by every company.
CHANGE_REACH = {"neiqin.dq.rule": "company"}

# Fields only an engine writes (neiqin.engine.mixin) on models the access
# rights let people write, with a value a caller would try (a callable
# takes the test case).
ENGINE_OWNED = {
    "neiqin.task": {
        "neiqin_process_id": lambda t: t.env.ref("neiqin_base.process_data").id,
        "neiqin_step_id": lambda t: t.env.ref("neiqin_base.step_data_entry").id,
        "neiqin_step_state": "done",
        "neiqin_step_deadline_at": "2020-01-01 00:00:00",
        "neiqin_step_owner_id": lambda t: t.stranger.id,
        "neiqin_step_team_id": lambda t: t.foreign_team.id,
    },
    "neiqin.dq.issue": {
        "state": "ignored",
        "state_sequence": 9,
        "severity": "blocking",
        "severity_sequence": 9,
        "rule_id": lambda t: t._record("neiqin.dq.rule", "company").id,
        "res_model": "res.users",
        "res_id": lambda t: t.stranger.partner_id.id,
        "res_name": "Someone else",
        "company_id": lambda t: t.company_b.id,
        "duplicate_key": "x",
        "found_at": "2020-01-01 00:00:00",
        "closed_at": "2020-01-01 00:00:00",
        "reopen_count": 7,
        "last_reopened_at": "2020-01-01 00:00:00",
    },
    "neiqin.responsibility": {
        "name": "RSP/FAKE",
        "reported_by_id": lambda t: t.mate.id,
        "state": "closed",
        "confirmed_by_id": lambda t: t.users["lead"].id,
        "confirmed_at": "2020-01-01 00:00:00",
        "closed_at": "2020-01-01 00:00:00",
        "res_name": "Someone else's document",
        # neiqin_aftersales: the complaint ticket that made the record.
        "neiqin_ticket_id": lambda t: t.env["helpdesk.ticket"]
        .create({"name": "Matrix complaint", "description": "<p>Matrix</p>"})
        .id,
    },
}

ENGINE_OWNED["neiqin.notice"] = {
    "res_model": "res.users",
    "res_id": 987654321,
    "res_name": "Someone else",
    "company_id": lambda t: t.company_b.id,
    "partner_id": lambda t: t.stranger.partner_id.id,
    "platform_id": lambda t: t.env.ref("neiqin_base.platform_jd").id,
    "platform_ref": "JD-FAKE",
    "kind": "delivered",
    "channel": "sms",
    "lang": "zh_TW",
    "state": "delivered",
    "tries": 9,
    "last_error": "Made up",
    "queued_at": "2020-01-01 00:00:00",
    "hold_until": "2020-01-01 00:00:00",
    "claimed_by_id": lambda t: t.stranger.id,
    "claimed_until": "2020-01-01 00:00:00",
    "sent_at": "2020-01-01 00:00:00",
    "delivered_at": "2020-01-01 00:00:00",
    "template_id": lambda t: t.env.ref("neiqin_orders.mail_template_order_delayed").id,
    "notice_template_id": lambda t: t.env.ref("neiqin_orders.notice_template_order_delayed_sms").id,
    "message_id": lambda t: t.env["mail.message"].search([], limit=1).id,
}

ENGINE_OWNED["neiqin.reply.template"] = {
    "usage_count": 7,
    "last_used_at": "2020-01-01 00:00:00",
}
ENGINE_OWNED["neiqin.feedback"] = {"state": "done"}
ENGINE_OWNED["neiqin.product.listing"] = {
    "state": "published",
    "published_at": "2020-01-01 00:00:00",
    "published_by_id": lambda t: t.stranger.id,
    "completeness": 100,
    "completeness_missing": "Made up",
    "neiqin_review_state": "approved",
    "neiqin_reviewed_by_id": lambda t: t.stranger.id,
    "neiqin_reviewed_at": "2020-01-01 00:00:00",
    "neiqin_override_reason": "Made up",
    "neiqin_override_by_id": lambda t: t.stranger.id,
    "neiqin_override_at": "2020-01-01 00:00:00",
    "neiqin_override_rule_ids": lambda t: [(6, 0, t._record("neiqin.dq.rule", "company").ids)],
    "neiqin_override_fingerprint": "made-up",
}

ENGINE_OWNED["neiqin.promotion"] = {
    "state": "running",
    "launched_at": "2020-01-01 00:00:00",
    "override_by_id": lambda t: t.stranger.id,
    "checked_at": "2020-01-01 00:00:00",
}
ENGINE_OWNED["neiqin.reconciliation"] = {
    "state": "confirmed",
    "checked_at": "2020-01-01 00:00:00",
    "confirmed_at": "2020-01-01 00:00:00",
    "confirmed_by_id": lambda t: t.stranger.id,
    "task_id": lambda t: t.doc_task.id,
}
ENGINE_OWNED["neiqin.reconciliation.line"] = {"system_value": 42.0}
ENGINE_OWNED["neiqin.cleaning"] = {
    "state": "applied",
    "previewed_at": "2020-01-01 00:00:00",
    "previewed_by_id": lambda t: t.stranger.id,
    "applied_at": "2020-01-01 00:00:00",
    "applied_by_id": lambda t: t.stranger.id,
    "undone_at": "2020-01-01 00:00:00",
    "undone_by_id": lambda t: t.stranger.id,
}
ENGINE_OWNED["neiqin.cleaning.line"] = {
    "cleaning_id": lambda t: t._record("neiqin.cleaning", "company").id,
    "partner_id": lambda t: t.stranger.partner_id.id,
    "field_name": "phone",
    "old_value": "Made up",
    "new_value": "Made up",
    "state": "applied",
    "applied_at": "2020-01-01 00:00:00",
    "applied_by_id": lambda t: t.stranger.id,
    "undone_at": "2020-01-01 00:00:00",
    "undone_by_id": lambda t: t.stranger.id,
    "merged_into_id": lambda t: t.partner.id,
}

# neiqin_docs, job descriptions: every employee reads the approved and
# superseded versions of their company, leads write drafts, managers approve
# and delete them; the records the tables make are drafts, which employees
# and clerks do not reach. Acknowledgements: an employee reads their own;
# leads assign one by hand; the state and dates are the engine's.
MATRIX["neiqin.job.document"] = {
    **NONE,
    "user": "r",
    "clerk": "r",
    "lead": "rwc",
    "manager": "rwcu",
}
MATRIX["neiqin.job.duty"] = {**NONE, "user": "r", "clerk": "r", "lead": "rwcu", "manager": "rwcu"}
MATRIX["neiqin.job.indicator"] = {
    **NONE,
    "user": "r",
    "clerk": "r",
    "lead": "rwcu",
    "manager": "rwcu",
}
MATRIX["neiqin.job.acknowledgement"] = {
    **NONE,
    "user": "r",
    "clerk": "r",
    "lead": "rwc",
    "manager": "rwcu",
}
MATRIX["neiqin.job.document.compare.wizard"] = {
    **NONE,
    "user": "rwc",
    "clerk": "rwc",
    "lead": "rwc",
    "manager": "rwc",
}
REACH["neiqin.job.document"] = ("company", "")
REACH["neiqin.job.duty"] = ("company", "")
REACH["neiqin.job.indicator"] = ("company", "")
REACH["neiqin.job.acknowledgement"] = ("own other", "own")
WRITES["neiqin.job.document"] = {"goal": "Edited by hand"}
WRITES["neiqin.job.duty"] = {"description": "Edited by hand"}
WRITES["neiqin.job.indicator"] = {"target": "Edited by hand"}
WRITES["neiqin.job.acknowledgement"] = {"note": "Edited by hand"}
ENGINE_OWNED["neiqin.job.document"] = {
    "state": "approved",
    "version": 7,
    "previous_id": lambda t: t._record("neiqin.job.document", "company").id,
    "approved_by_id": lambda t: t.stranger.id,
    "approved_at": "2020-01-01 00:00:00",
}
ENGINE_OWNED["neiqin.job.acknowledgement"] = {
    "state": "acknowledged",
    "assigned_at": "2020-01-01 00:00:00",
    "acknowledged_at": "2020-01-01 00:00:00",
}
# neiqin_docs, training and job reviews: leads keep courses, sessions and
# campaigns (closing a session or a campaign is a lead's action); every
# employee reads them, and only their own attendance, training-matrix rows
# and review feedback. Feedback is answered by its employee (or typed by a
# lead from paper) and never deleted; the matrix is an SQL view.
MATRIX["neiqin.training.course"] = {**CONFIG, "clerk": "r", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.training.session"] = {**CONFIG, "clerk": "r", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.training.attendance"] = {**CONFIG, "clerk": "r", "lead": "rwcu", "manager": "rwcu"}
MATRIX["neiqin.training.matrix"] = {**CONFIG, "clerk": "r", "lead": "r", "manager": "r"}
MATRIX["neiqin.job.review"] = {**CONFIG, "clerk": "r", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.job.review.feedback"] = {
    **NONE,
    "user": "rw",
    "clerk": "rw",
    "lead": "rwc",
    "manager": "rwc",
}
REACH["neiqin.training.course"] = ("company", "company")
REACH["neiqin.training.session"] = ("company", "company")
REACH["neiqin.training.attendance"] = ("own other", "own")
REACH["neiqin.training.matrix"] = ("own other", "own")
REACH["neiqin.job.review"] = ("company", "company")
REACH["neiqin.job.review.feedback"] = ("own other", "own")
WRITES["neiqin.training.course"] = {"validity_months": 6}
WRITES["neiqin.training.session"] = {"date": "2001-01-01"}
WRITES["neiqin.training.attendance"] = {"note": "Edited by hand"}
WRITES["neiqin.training.matrix"] = {"status": "valid"}
WRITES["neiqin.job.review"] = {"period": "Edited by hand"}
WRITES["neiqin.job.review.feedback"] = {"keep_text": "Edited by hand"}
# Feedback stays in the archive: its own guard refuses every deletion.
REFUSALS["neiqin.job.review.feedback"] = (AccessError, UserError)
ENGINE_OWNED["neiqin.training.session"] = {"state": "done", "done_at": "2020-01-01 00:00:00"}
ENGINE_OWNED["neiqin.job.review"] = {
    "state": "closed",
    "new_document_id": lambda t: t.env["neiqin.job.document"]
    .create({"job_id": t.env["hr.job"].create({"name": f"Matrix job {t._next()}"}).id})
    .id,
    "opened_at": "2020-01-01 00:00:00",
    "closed_at": "2020-01-01 00:00:00",
    "closed_by_id": lambda t: t.stranger.id,
}
ENGINE_OWNED["neiqin.job.review.feedback"] = {
    "state": "submitted",
    "submitted_at": "2020-01-01 00:00:00",
}
# neiqin_docs, meetings: every employee organises meetings and follows the
# action items of those they organise or attend (leads: all of their
# company); managers delete them. The archive: employees read it, clerks
# file in it, leads keep its categories, managers delete.
MATRIX["neiqin.meeting"] = {**NONE, "user": "rwc", "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.meeting.action"] = {
    **NONE,
    "user": "rwc",
    "clerk": "rwc",
    "lead": "rwc",
    "manager": "rwcu",
}
MATRIX["neiqin.archive.document"] = {
    **NONE,
    "user": "r",
    "clerk": "rwc",
    "lead": "rwc",
    "manager": "rwcu",
}
MATRIX["neiqin.archive.category"] = {**CONFIG, "clerk": "r", "lead": "rwc", "manager": "rwcu"}
MATRIX["neiqin.archive.tag"] = {**CONFIG, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"}
REACH["neiqin.meeting"] = ("own other", "own")
REACH["neiqin.meeting.action"] = ("own other", "own")
REACH["neiqin.archive.document"] = ("company", "company")
WRITES["neiqin.meeting"] = {"agenda": "Edited by hand"}
WRITES["neiqin.meeting.action"] = {"name": "Edited by hand"}
WRITES["neiqin.archive.document"] = {"name": "Edited by hand"}
ENGINE_OWNED["neiqin.meeting"] = {
    "state": "closed",
    "held_at": "2020-01-01 00:00:00",
    "closed_at": "2020-01-01 00:00:00",
}
ENGINE_OWNED["neiqin.meeting.action"] = {
    "state": "done",
    "done_at": "2020-01-01 00:00:00",
    "done_by_id": lambda t: t.stranger.id,
    "activity_id": lambda t: t.env["mail.activity"]
    .create(
        {
            "res_model_id": t.env["ir.model"]._get_id("res.partner"),
            "res_id": t.partner.id,
            "user_id": t.stranger.id,
        }
    )
    .id,
    "neiqin_process_id": lambda t: t.env.ref("neiqin_docs.process_meeting_action").id,
    "neiqin_step_id": lambda t: t.env.ref("neiqin_docs.step_meeting_action_follow_up").id,
    "neiqin_step_state": "done",
    "neiqin_step_deadline_at": "2020-01-01 00:00:00",
    "neiqin_step_owner_id": lambda t: t.stranger.id,
    "neiqin_step_team_id": lambda t: t.foreign_team.id,
}

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
OWNED_RELATIONS = ("own", "reported", "created")


@as_neiqin_test
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Other Co"})
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": new_test_user(cls.env, "am_portal", groups="base.group_portal"),
            "user": new_test_user(cls.env, "am_user", groups="base.group_user"),
            "clerk": new_test_user(cls.env, "am_clerk", groups="neiqin_base.group_neiqin_clerk"),
            "lead": new_test_user(cls.env, "am_lead", groups="neiqin_base.group_neiqin_lead"),
            "manager": new_test_user(
                cls.env, "am_manager", groups="neiqin_base.group_neiqin_manager"
            ),
        }
        clerk = "neiqin_base.group_neiqin_clerk"
        cls.mate = new_test_user(cls.env, "am_mate", groups=clerk)
        cls.stranger = new_test_user(cls.env, "am_stranger", groups=clerk)
        cls.user_b = new_test_user(
            cls.env,
            "am_user_b",
            groups=clerk,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        Team = cls.env["neiqin.team"]
        cls.home_team = Team.create(
            {
                "name": "Home Desk",
                "member_ids": [Command.set([cls.mate.id, *(u.id for u in cls.users.values())])],
            }
        )
        cls.foreign_team = Team.create(
            {"name": "Foreign Desk", "member_ids": [Command.set(cls.stranger.ids)]}
        )
        cls.team_b = Team.create(
            {
                "name": "Other Co Desk",
                "company_id": cls.company_b.id,
                "member_ids": [Command.set(cls.user_b.ids)],
            }
        )
        cls.doc_task = cls.env["neiqin.task"].create({"name": "Document"})
        cls.partner = cls.env["res.partner"].create({"name": "Flagged contact"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Matrix Express",
                "delivery_type": "fixed",
                "product_id": cls.env.ref("delivery.product_product_delivery").id,
            }
        )
        cls.counter = 0

    def setUp(self):
        super().setUp()
        # The records made by a test, rolled back with it.
        self.records = {}

    # ------------------------------------------------------------------ helpers
    def _allowed(self, model, operation, *args):
        """Whether ``operation(*args)`` on ``model`` succeeds; rolled back
        either way."""
        try:
            with closing(self.env.cr.savepoint()):
                operation(*args)
                self.env.flush_all()
        except REFUSALS.get(model, AccessError):
            return False
        return True

    def _reach(self, model, role):
        relations, clerk_reach = REACH[model]
        # A plain employee reaches what a clerk reaches where they may read
        # (their own acknowledgements, approved job descriptions).
        own_only = role in ("user", "clerk") or model in OWN_ONLY
        return set((clerk_reach if own_only else relations).split())

    def _next(self):
        type(self).counter += 1
        return self.counter

    def _record(self, model, relation, user=None):
        """A record of ``model`` related to ``user`` as ``relation`` says
        (see REACH), made as superuser, once per test."""
        key = (model, relation, user if relation in OWNED_RELATIONS else None)
        if key not in self.records:
            Users, Teams = self.env["res.users"], self.env["neiqin.team"]
            owner, team, company = {
                "own": (user, Teams, self.company),
                "team": (self.mate, self.home_team, self.company),
                "unassigned": (Users, Teams, self.company),
                "reported": (self.stranger, self.foreign_team, self.company),
                "created": (self.stranger, self.foreign_team, self.company),
                "other": (self.stranger, self.foreign_team, self.company),
                "company": (Users, Teams, self.company),
                "shared": (Users, Teams, self.env["res.company"]),
                "elsewhere": (Users, Teams, self.company_b),
            }[relation]
            make = getattr(self, "_make_" + model.replace(".", "_"))
            record = make(owner, team, company)
            if relation == "reported":
                record.write({"reported_by_id": user.id})
            if relation == "created":
                record.flush_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET create_uid = %s WHERE id = %s",
                        SQL.identifier(record._table),
                        user.id,
                        record.id,
                    )
                )
                record.invalidate_recordset(["create_uid"])
            self.records[key] = record
        return self.records[key]

    def _values(self, model, user, company):
        """Values of a record ``user`` would create in ``company``, theirs."""
        mine = company == self.company
        return getattr(self, "_vals_" + model.replace(".", "_"))(
            user if mine else self.user_b, company
        )

    # One maker (a record with this owner, team and company) and one set of
    # create values (a user's own record in a company) per model.
    def _make_neiqin_team(self, owner, team, company):
        return self.env["neiqin.team"].create(self._vals_neiqin_team(owner, company))

    def _vals_neiqin_team(self, user, company):
        return {"name": f"Desk {self._next()}", "company_id": company.id}

    def _make_neiqin_process(self, owner, team, company):
        return self.env["neiqin.process"].create(self._vals_neiqin_process(owner, company))

    def _vals_neiqin_process(self, user, company):
        return {
            "name": "Matrix",
            "code": f"matrix_{self._next()}",
            "model_name": "neiqin.task",
            "company_id": company.id,
        }

    def _make_neiqin_process_step(self, owner, team, company):
        return self.env["neiqin.process.step"].create(
            self._vals_neiqin_process_step(owner, company)
        )

    def _vals_neiqin_process_step(self, user, company):
        relation = "elsewhere" if company == self.company_b else "company"
        return {
            "process_id": self._record("neiqin.process", relation).id,
            "code": f"step_{self._next()}",
            "name": "Step",
            "owner_type": "team",
            "owner_team_id": (self.team_b if company == self.company_b else self.home_team).id,
        }

    def _make_neiqin_step_log(self, owner, team, company):
        return self.env["neiqin.step.log"].create(
            {
                **self._vals_neiqin_step_log(owner, company),
                "owner_team_id": team.id,
            }
        )

    def _vals_neiqin_step_log(self, user, company):
        step = self.env.ref("neiqin_base.step_data_entry")
        return {
            "res_model": "neiqin.task",
            "res_id": self.doc_task.id,
            "res_name": self.doc_task.name,
            "process_id": step.process_id.id,
            "step_id": step.id,
            "owner_user_id": user.id,
            "company_id": company.id,
        }

    def _make_neiqin_responsibility(self, owner, team, company):
        return self.env["neiqin.responsibility"].create(
            {
                **self._vals_neiqin_responsibility(owner or self.user_b, company),
                "owner_team_id": team.id,
                "reported_by_id": self.stranger.id,
            }
        )

    def _vals_neiqin_responsibility(self, user, company):
        return {"owner_user_id": user.id, "cause": "Late entry", "company_id": company.id}

    def _make_neiqin_dq_rule(self, owner, team, company):
        return self.env["neiqin.dq.rule"].create(self._vals_neiqin_dq_rule(owner, company))

    def _vals_neiqin_dq_rule(self, user, company):
        return {
            "name": f"Rule {self._next()}",
            "model_id": self.env["ir.model"]._get("res.partner").id,
            "rule_type": "domain",
            "bad_record_domain": "[('id', '=', 0)]",
            "company_id": company.id,
        }

    def _make_neiqin_dq_issue(self, owner, team, company):
        return self.env["neiqin.dq.issue"].create(
            {
                "rule_id": self._record("neiqin.dq.rule", "shared").id,
                "res_model": "res.partner",
                "res_id": self.partner.id,
                "company_id": company.id,
                "owner_user_id": owner.id,
                "owner_team_id": team.id,
            }
        )

    def _vals_neiqin_dq_issue(self, user, company):
        # What people may write; the issue's findings are the engine's.
        return {"note": "Filed by hand", "owner_user_id": user.id}

    def _make_neiqin_task(self, owner, team, company):
        return self.env["neiqin.task"].create(
            {**self._vals_neiqin_task(owner, company), "team_id": team.id}
        )

    def _vals_neiqin_task(self, user, company):
        return {"name": "Matrix task", "user_id": user.id, "company_id": company.id}

    def _make_neiqin_idempotency_key(self, owner, team, company):
        return self.env["neiqin.idempotency.key"].create(
            self._vals_neiqin_idempotency_key(owner or self.user_b, company)
        )

    def _vals_neiqin_idempotency_key(self, user, company):
        return {
            "user_id": user.id,
            "company_id": company.id,
            "method": "api_matrix",
            "key": f"key-{self._next()}",
            "fingerprint": "matrix",
        }

    def _make_neiqin_dispatch_rule(self, owner, team, company):
        return self.env["neiqin.dispatch.rule"].create(
            self._vals_neiqin_dispatch_rule(owner, company)
        )

    def _vals_neiqin_dispatch_rule(self, user, company):
        return {
            "name": "By Matrix Express",
            "carrier_id": self.carrier.id,
            "company_id": company.id,
        }

    def _make_neiqin_logistics_event(self, owner, team, company):
        return self.env["neiqin.logistics.event"].create(
            self._vals_neiqin_logistics_event(owner, company)
        )

    def _vals_neiqin_logistics_event(self, user, company):
        return {"picking_id": self._delivery(company).id, "state": "shipped"}

    def _make_neiqin_notice(self, owner, team, company):
        # One notice per document and kind: each made one is of a document of its own.
        return self.env["neiqin.notice"].create(
            {
                **self._vals_neiqin_notice(owner, company),
                "res_id": 10**8 + self._next(),
                "kind": "confirmed",
            }
        )

    def _vals_neiqin_notice(self, user, company):
        order = self._order(company)
        return {
            "res_model": "sale.order",
            "res_id": order.id,
            "res_name": order.name,
            "company_id": company.id,
            "partner_id": self.partner.id,
            "kind": "delayed",
            "channel": "platform",
            "body": "Your order is late.",
        }

    def _make_neiqin_reply_template(self, owner, team, company):
        return self.env["neiqin.reply.template"].create(
            self._vals_neiqin_reply_template(owner, company)
        )

    def _vals_neiqin_reply_template(self, user, company):
        return {
            "name": f"Reply {self._next()}",
            "body": "Hello {customer}",
            "company_id": company.id,
        }

    def _make_neiqin_service_flow(self, owner, team, company):
        return self.env["neiqin.service.flow"].create(
            self._vals_neiqin_service_flow(owner, company)
        )

    def _vals_neiqin_service_flow(self, user, company):
        return {"name": f"Flow {self._next()}", "service_type": "return", "company_id": company.id}

    def _make_neiqin_service_flow_line(self, owner, team, company):
        relation = {self.company: "company", self.company_b: "elsewhere"}.get(company, "shared")
        return self.env["neiqin.service.flow.line"].create(
            {
                **self._vals_neiqin_service_flow_line(owner, company),
                "flow_id": self._record("neiqin.service.flow", relation).id,
            }
        )

    def _vals_neiqin_service_flow_line(self, user, company):
        relation = "elsewhere" if company == self.company_b else "company"
        return {
            "flow_id": self._record("neiqin.service.flow", relation).id,
            "step_id": self.env.ref("neiqin_aftersales.step_service_consult").id,
            "instructions": "Matrix step",
        }

    def _delivery(self, company):
        key = ("stock.picking", company)
        if key not in self.records:
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            self.records[key] = (
                self.env["stock.picking"]
                .with_company(company)
                .create(
                    {
                        "picking_type_id": warehouse.out_type_id.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        "partner_id": self.partner.id,
                        "company_id": company.id,
                    }
                )
            )
            # A delivery already shipped: logistics events are recorded for
            # shipped deliveries only. (No moves to validate here.)
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE stock_picking SET state = 'done' WHERE id = %s", [self.records[key].id]
            )
            self.records[key].invalidate_recordset(["state"])
        return self.records[key]

    def _order(self, company):
        key = ("sale.order", company)
        if key not in self.records:
            self.records[key] = (
                self.env["sale.order"]
                .with_company(company)
                .create({"partner_id": self.partner.id, "company_id": company.id})
            )
        return self.records[key]

    def _make_neiqin_member_level(self, owner, team, company):
        return self.env["neiqin.member.level"].create(
            self._vals_neiqin_member_level(owner, company)
        )

    def _vals_neiqin_member_level(self, user, company):
        return {"name": f"Level {self._next()}", "min_spend": 100, "company_id": company.id}

    def _make_neiqin_feedback_route(self, owner, team, company):
        return self.env["neiqin.feedback.route"].create(
            self._vals_neiqin_feedback_route(owner, company)
        )

    def _vals_neiqin_feedback_route(self, user, company):
        department = self.env["hr.department"].create(
            {"name": f"Department {self._next()}", "company_id": company.id}
        )
        return {"kind": "price", "department_id": department.id, "company_id": company.id}

    def _make_neiqin_feedback(self, owner, team, company):
        return self.env["neiqin.feedback"].create(self._vals_neiqin_feedback(owner, company))

    def _vals_neiqin_feedback(self, user, company):
        return {
            "subject": "Matrix feedback",
            "kind": "other",
            "owner_user_id": user.id,
            "company_id": company.id,
        }

    def _make_neiqin_product_listing(self, owner, team, company):
        return self.env["neiqin.product.listing"].create(
            self._vals_neiqin_product_listing(owner, company)
        )

    def _vals_neiqin_product_listing(self, user, company):
        # A listing belongs to its product's company: a product of no
        # company makes a listing shared by every company.
        product = self.env["product.template"].create(
            {"name": f"Matrix product {self._next()}", "company_id": company.id or False}
        )
        return {
            "product_tmpl_id": product.id,
            "platform_id": self.env.ref("neiqin_base.platform_jd").id,
            "channel_sku": f"MATRIX-{self._next()}",
        }

    def _make_neiqin_promotion(self, owner, team, company):
        return self.env["neiqin.promotion"].create(self._vals_neiqin_promotion(owner, company))

    def _vals_neiqin_promotion(self, user, company):
        return {
            "name": f"Matrix promotion {self._next()}",
            "company_id": company.id,
            "date_start": "2030-01-01 00:00:00",
            "date_end": "2030-01-02 00:00:00",
        }

    def _make_neiqin_promotion_line(self, owner, team, company):
        return self.env["neiqin.promotion.line"].create(
            self._vals_neiqin_promotion_line(owner, company)
        )

    def _vals_neiqin_promotion_line(self, user, company):
        # A line belongs to its promotion's company.
        promotion = self._make_neiqin_promotion(user, None, company)
        product = self.env["product.template"].create({"name": f"Matrix product {self._next()}"})
        return {"promotion_id": promotion.id, "product_tmpl_id": product.id, "promo_price": 9.0}

    def _make_neiqin_promotion_check(self, owner, team, company):
        return self.env["neiqin.promotion.check"].create(
            self._vals_neiqin_promotion_check(owner, company)
        )

    def _vals_neiqin_promotion_check(self, user, company):
        promotion = self._make_neiqin_promotion(user, None, company)
        return {
            "promotion_id": promotion.id,
            "section": "pre",
            "check_type": "stock",
            "result": "ok",
            "detail": "Matrix",
        }

    def _make_neiqin_forbidden_word(self, owner, team, company):
        return self.env["neiqin.forbidden.word"].create(
            self._vals_neiqin_forbidden_word(owner, company)
        )

    def _vals_neiqin_forbidden_word(self, user, company):
        return {"word": f"Matrix word {self._next()}", "company_id": company.id}

    def _make_neiqin_reconciliation(self, owner, team, company):
        return self.env["neiqin.reconciliation"].create(
            self._vals_neiqin_reconciliation(owner, company)
        )

    def _vals_neiqin_reconciliation(self, user, company):
        # One reconciliation per company and day: each record its own day.
        return {
            "date": date(2002, 1, 1) + timedelta(days=self._next()),
            "company_id": company.id,
            "owner_user_id": user.id or False,
        }

    def _make_neiqin_reconciliation_line(self, owner, team, company):
        return self._make_neiqin_reconciliation(owner, team, company).line_ids[:1]

    def _vals_neiqin_reconciliation_line(self, user, company):
        reconciliation = self._make_neiqin_reconciliation(user, None, company)
        return {"reconciliation_id": reconciliation.id, "measure": "orders_count"}

    def _make_neiqin_cleaning(self, owner, team, company):
        return self.env["neiqin.cleaning"].create(self._vals_neiqin_cleaning(owner, company))

    def _vals_neiqin_cleaning(self, user, company):
        return {"name": "Matrix cleaning", "kind": "trim", "company_id": company.id}

    def _make_neiqin_cleaning_line(self, owner, team, company):
        cleaning = self._make_neiqin_cleaning(owner, team, company)
        return self.env["neiqin.cleaning.line"].create(
            {"cleaning_id": cleaning.id, "partner_id": self.partner.id, "field_name": "name"}
        )

    def _vals_neiqin_cleaning_line(self, user, company):
        cleaning = self._make_neiqin_cleaning(user, None, company)
        return {"cleaning_id": cleaning.id, "field_name": "name"}

    def _make_neiqin_satisfaction_report(self, owner, team, company):
        # A report row is a rating of a ticket; the row's agent is the
        # ticket's user.
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Matrix ticket",
                "description": "<p>Matrix</p>",
                "partner_id": self.partner.id,
                "user_id": owner.id,
                "company_id": company.id,
            }
        )
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "partner_id": self.partner.id,
                "rating": 5,
                "consumed": True,
            }
        )
        self.env.flush_all()
        return self.env["neiqin.satisfaction.report"].browse(rating.id)

    def _vals_neiqin_satisfaction_report(self, user, company):
        return {"rating": 5, "company_id": company.id}

    # neiqin_docs, training and job reviews: an employee (of their own job)
    # per user and company.
    def _employee(self, user, company):
        key = ("hr.employee", user.id, company.id)
        if key not in self.records:
            employee = self.env["hr.employee"].search(
                [("user_id", "=", user.id), ("company_id", "=", company.id)], limit=1
            )
            if not employee or not user:
                job = self.env["hr.job"].create(
                    {"name": f"Matrix job {self._next()}", "company_id": company.id}
                )
                employee = self.env["hr.employee"].create(
                    {
                        "name": f"Matrix employee {self._next()}",
                        "user_id": user.id,
                        "company_id": company.id,
                        "job_id": job.id,
                    }
                )
            if not employee.job_id:
                # Made by another maker without a job: the matrix needs one.
                employee.job_id = self.env["hr.job"].create(
                    {"name": f"Matrix job {self._next()}", "company_id": company.id}
                )
            self.records[key] = employee
        return self.records[key]

    def _make_neiqin_training_course(self, owner, team, company):
        return self.env["neiqin.training.course"].create(
            self._vals_neiqin_training_course(owner, company)
        )

    def _vals_neiqin_training_course(self, user, company):
        return {"name": f"Matrix course {self._next()}", "company_id": company.id}

    def _make_neiqin_training_session(self, owner, team, company):
        return self.env["neiqin.training.session"].create(
            self._vals_neiqin_training_session(owner, company)
        )

    def _vals_neiqin_training_session(self, user, company):
        course = self._make_neiqin_training_course(user, None, company)
        return {"course_id": course.id, "date": "2030-01-01"}

    def _make_neiqin_training_attendance(self, owner, team, company):
        return self.env["neiqin.training.attendance"].create(
            self._vals_neiqin_training_attendance(owner or self.users["user"].browse(), company)
        )

    def _vals_neiqin_training_attendance(self, user, company):
        session = self._make_neiqin_training_session(user, None, company)
        return {"session_id": session.id, "employee_id": self._employee(user, company).id}

    def _make_neiqin_training_matrix(self, owner, team, company):
        employee = self._employee(owner, company)
        course = self.env["neiqin.training.course"].create(
            {
                "name": f"Matrix course {self._next()}",
                "company_id": company.id,
                "job_ids": [Command.set(employee.job_id.ids)],
            }
        )
        self.env.flush_all()
        return self.env["neiqin.training.matrix"].search(
            [("employee_id", "=", employee.id), ("course_id", "=", course.id)]
        )

    def _vals_neiqin_training_matrix(self, user, company):
        return {"employee_id": self._employee(user, company).id, "status": "valid"}

    def _make_neiqin_job_review(self, owner, team, company):
        return self.env["neiqin.job.review"].create(self._vals_neiqin_job_review(owner, company))

    def _vals_neiqin_job_review(self, user, company):
        job = self.env["hr.job"].create(
            {"name": f"Matrix job {self._next()}", "company_id": company.id}
        )
        return {
            "job_id": job.id,
            "period": "2030 Q1",
            "date_from": "2030-01-01",
            "date_to": "2030-03-31",
            "deadline": "2030-03-31",
            "company_id": company.id,
        }

    def _make_neiqin_job_review_feedback(self, owner, team, company):
        return self.env["neiqin.job.review.feedback"].create(
            self._vals_neiqin_job_review_feedback(owner or self.users["user"].browse(), company)
        )

    def _vals_neiqin_job_review_feedback(self, user, company):
        # An open campaign: its feedback is answered.
        review = self._make_neiqin_job_review(user, None, company)
        with engine_writes():
            review.write({"state": "open"})
        return {"review_id": review.id, "employee_id": self._employee(user, company).id}

    # neiqin_docs
    def _make_neiqin_meeting(self, owner, team, company):
        return self.env["neiqin.meeting"].create(
            {
                "name": f"Meeting {self._next()}",
                "organizer_id": (owner or self.stranger).id,
                "company_id": company.id,
            }
        )

    def _vals_neiqin_meeting(self, user, company):
        return {"name": "Own meeting", "organizer_id": user.id, "company_id": company.id}

    def _make_neiqin_meeting_action(self, owner, team, company):
        meeting = self._make_neiqin_meeting(self.stranger, team, company)
        return self.env["neiqin.meeting.action"].create(
            {
                "meeting_id": meeting.id,
                "name": f"Action {self._next()}",
                "owner_id": (owner or self.stranger).id,
                "deadline": date.today() + timedelta(days=3),
            }
        )

    def _vals_neiqin_meeting_action(self, user, company):
        meeting = self._make_neiqin_meeting(user, None, company)
        return {
            "meeting_id": meeting.id,
            "name": "Own action",
            "owner_id": user.id,
            "deadline": date.today() + timedelta(days=3),
        }

    def _make_neiqin_archive_document(self, owner, team, company):
        return self.env["neiqin.archive.document"].create(
            self._vals_neiqin_archive_document(owner, company)
        )

    def _vals_neiqin_archive_document(self, user, company):
        return {
            "name": f"Archive {self._next()}",
            "category_id": self.env.ref("neiqin_docs.archive_category_procedure").id,
            "company_id": company.id,
        }

    # ------------------------------------------------------------------ tables
    def test_every_neiqin_model_has_a_row(self):
        models = self.env["ir.model"].search([("model", "=like", "neiqin.%")]).mapped("model")
        concrete = {m for m in models if m in self.env and not self.env[m]._abstract}
        self.assertEqual(
            concrete - set(MATRIX), set(), "Neiqin models missing from the access matrix"
        )
        self.assertEqual(
            set(MATRIX) - concrete, set(), "Access matrix rows for models that do not exist"
        )

    def test_every_model_with_record_rules_has_a_reach_row(self):
        rules = self.env["ir.rule"].search([("model_id.model", "=like", "neiqin.%")])
        self.assertEqual(set(rules.mapped("model_id.model")), set(REACH))
        self.assertEqual(set(WRITES), set(REACH))

    def test_every_engine_field_has_a_row(self):
        mixin = self.env.registry["neiqin.engine.mixin"]
        engine_models = {m for m in MATRIX if isinstance(self.env[m], mixin)}
        self.assertEqual(engine_models, set(ENGINE_OWNED))
        for model, values in ENGINE_OWNED.items():
            with self.subTest(model=model):
                self.assertEqual(set(values), self.env[model]._neiqin_owned_fields())

    def test_access_rights_match_the_matrix(self):
        for model, expected in MATRIX.items():
            for role in ROLES:
                allowed = expected[role]
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        has = self.env[model].with_user(self.users[role]).has_access(operation)
                        self.assertEqual(has, letter in allowed, f"{role} {operation} {model}")

    # ------------------------------------------------------------------ attempts
    def test_reads_writes_and_unlinks_follow_the_tables(self):
        for model, (relations, __) in REACH.items():
            for role in ROLES:
                user = self.users[role]
                reach = self._reach(model, role)
                for relation in [*relations.split(), "elsewhere"]:
                    record = self._record(model, relation, user).with_user(user)
                    attempts = {
                        "r": (record.read, ["create_date"]),
                        "w": (record.write, WRITES[model]),
                        "u": (record.unlink,),
                    }
                    for letter, attempt in attempts.items():
                        in_reach = relation in reach
                        if letter != "r" and model in CHANGE_REACH:
                            in_reach = in_reach and relation in CHANGE_REACH[model].split()
                        expected = letter in MATRIX[model][role] and in_reach
                        with self.subTest(
                            model=model, role=role, relation=relation, op=OPERATIONS[letter]
                        ):
                            self.assertEqual(
                                self._allowed(model, *attempt),
                                expected,
                                f"{role} {OPERATIONS[letter]} {relation} {model}",
                            )

    def test_creates_follow_the_tables(self):
        for model in REACH:
            Model = self.env[model]
            for role in ROLES:
                user = self.users[role]
                for company, expected in (
                    (self.company, "c" in MATRIX[model][role]),
                    (self.company_b, False),
                ):
                    values = self._values(model, user, company)
                    if model in CREATE_READS and expected:
                        link = self.env[model]._fields[CREATE_READS[model]]
                        linked = self.env[link.comodel_name].browse(values[link.name])
                        expected = linked.with_user(user).has_access("read")
                    with self.subTest(model=model, role=role, company=company.name):
                        self.assertEqual(
                            self._allowed(model, Model.with_user(user).create, values),
                            expected,
                            f"{role} create {model} in {company.name}",
                        )

    def test_engine_fields_are_refused_where_the_rights_allow_writing(self):
        for model, owned in ENGINE_OWNED.items():
            for role in ROLES:
                user = self.users[role]
                rights = MATRIX[model][role]
                if "w" not in rights and "c" not in rights:
                    continue
                record = self._record(model, "own", user).with_user(user)
                for name, value in owned.items():
                    value = value(self) if callable(value) else value
                    with self.subTest(model=model, role=role, field=name):
                        if "w" in rights:
                            self.assertFalse(
                                self._allowed(model, record.write, {name: value}),
                                f"{role} writes {name} of {model}",
                            )
                        if "c" in rights:
                            values = {**self._values(model, user, self.company), name: value}
                            self.assertFalse(
                                self._allowed(model, record.browse().create, values),
                                f"{role} creates {model} with {name}",
                            )
                # Without the engine's fields, the same writes and creates
                # are theirs.
                if "w" in rights:
                    self.assertTrue(self._allowed(model, record.write, WRITES[model]))
                if "c" in rights:
                    values = self._values(model, user, self.company)
                    self.assertTrue(self._allowed(model, record.browse().create, values))

    def test_a_user_of_both_companies_reaches_the_other_with_it_allowed(self):
        manager = self.users["manager"]
        team = self._record("neiqin.team", "elsewhere")
        self.assertFalse(team.with_user(manager).has_access("read"))
        manager.write({"company_ids": [Command.link(self.company_b.id)]})
        self.assertTrue(
            team.with_user(manager)
            .with_context(allowed_company_ids=[self.company_b.id])
            .has_access("read")
        )

    # neiqin_docs: job descriptions and acknowledgements
    def _docs_job(self, company):
        return self.env["hr.job"].create(
            {"name": f"Matrix job {self._next()}", "company_id": company.id or False}
        )

    def _make_neiqin_job_document(self, owner, team, company):
        return self.env["neiqin.job.document"].create(
            self._vals_neiqin_job_document(owner, company)
        )

    def _vals_neiqin_job_document(self, user, company):
        return {
            "job_id": self._docs_job(company).id,
            "company_id": company.id,
            "goal": "Matrix goal",
        }

    def _make_neiqin_job_duty(self, owner, team, company):
        return self.env["neiqin.job.duty"].create(self._vals_neiqin_job_duty(owner, company))

    def _vals_neiqin_job_duty(self, user, company):
        document = self._make_neiqin_job_document(user, None, company)
        return {"document_id": document.id, "name": "Matrix duty"}

    def _make_neiqin_job_indicator(self, owner, team, company):
        return self.env["neiqin.job.indicator"].create(
            self._vals_neiqin_job_indicator(owner, company)
        )

    def _vals_neiqin_job_indicator(self, user, company):
        document = self._make_neiqin_job_document(user, None, company)
        return {"document_id": document.id, "name": "Matrix indicator", "target": "100 %"}

    def _docs_employee(self, user, company):
        """The employee ``user`` is in ``company`` (a new one without a
        user when ``user`` is empty; linked by their work contact when they
        are a portal or public user)."""
        Employee = self.env["hr.employee"].with_company(company)
        if user and not user.share:
            employee = Employee.search(
                [("user_id", "=", user.id), ("company_id", "=", company.id)], limit=1
            )
            if employee:
                return employee
            return Employee.create(
                {"name": user.name, "user_id": user.id, "company_id": company.id}
            )
        return Employee.create(
            {
                "name": f"Matrix employee {self._next()}",
                "company_id": company.id,
                "work_contact_id": user.partner_id.id if user else False,
            }
        )

    def _make_neiqin_job_acknowledgement(self, owner, team, company):
        return self.env["neiqin.job.acknowledgement"].create(
            self._vals_neiqin_job_acknowledgement(owner, company)
        )

    def _vals_neiqin_job_acknowledgement(self, user, company):
        relation = "elsewhere" if company == self.company_b else "company"
        return {
            "employee_id": self._docs_employee(user, company).id,
            "document_id": self._record("neiqin.job.document", relation).id,
        }
