"""Window actions the engines return to the web client."""


def document_action(res_model, res_id):
    """Open the document ``res_model``/``res_id`` in its form view."""
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "res_id": res_id,
        "views": [(False, "form")],
    }
