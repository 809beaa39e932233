"""Reminders as activities, made by the crons in one batch.

Each reminder is an activity on the record it is about (an acknowledgement,
a course, a feedback request), for the employee's user. They are made
quietly: no "assigned to you" mail per activity, and the employees do not
follow the records (following costs queries per employee and would tell
them of every change): the activity is the reminder. The models reminded
on skip ``message_subscribe`` under ``QUIET``."""

QUIET = "neiqin_docs_quiet_reminders"


def create_reminders(env, model_name, vals_list):
    """Create the activities ``vals_list`` on records of ``model_name`` as
    the engine (sudo: the crons remind on behalf of the employees, on
    records they selected themselves). Returns how many were made."""
    if not vals_list:
        return 0
    Activity = (
        env["mail.activity"].sudo().with_context(mail_activity_quick_update=True, **{QUIET: True})
    )
    # Each activity reads the name of its record alone: read them all
    # first, and the activities find them cached.
    Activity.env[model_name].browse({vals["res_id"] for vals in vals_list}).mapped("display_name")
    Activity.create(vals_list)
    return len(vals_list)


def is_quiet(env):
    """Whether the reminders are being made (``message_subscribe`` skips)."""
    return bool(env.context.get(QUIET))
