"""Window actions the engines return to the web client."""


def document_action(res_model, res_id):
    """Open the document ``res_model``/``res_id`` in its form view."""
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "res_id": res_id,
        "views": [(False, "form")],
    }


def result_notification(title, lines, warning=False):
    """Tell the user what a button did (``lines``, one a result), then
    reload the screen so that it shows the new state."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "title": title,
            "message": "\n".join(lines),
            "type": "warning" if warning else "success",
            "sticky": False,
            "next": {"type": "ir.actions.client", "tag": "soft_reload"},
        },
    }
