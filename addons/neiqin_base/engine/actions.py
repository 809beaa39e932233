"""Window actions the engines return to the web client, and the labels
they show for the documents' models."""


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


def responsibility_action(env, res_model, res_id, passage=None):
    """A new responsibility record about the document ``res_model``/``res_id``,
    traced to its step passage ``passage`` when one is given (the record
    then takes the passage's step, owner and team)."""
    context = {"default_res_model": res_model, "default_res_id": res_id}
    if passage:
        context["default_step_log_id"] = passage.id
        late = passage.is_late or passage.is_overdue
        context["default_responsibility_type"] = "delay" if late else "error"
    return {
        "type": "ir.actions.act_window",
        "name": env._("Record Responsibility"),
        "res_model": "neiqin.responsibility",
        "views": [(False, "form")],
        "target": "current",
        "context": context,
    }


def model_labels(env, model_names):
    """The label (``ir.model``'s name, in the user's language) of each of
    ``model_names``, in their order; the technical name when the model is
    not installed. One read for all of them: the ids are cached."""
    IrModel = env["ir.model"]
    ids = {name: IrModel._get_id(name) for name in set(model_names) if name}
    # sudo: a model's label is no secret, and the documents that name it
    # are read with the user's rights by the caller.
    models = IrModel.sudo().browse([model_id for model_id in ids.values() if model_id])
    labels = {model.model: model.name for model in models}
    return [labels.get(name, name or False) for name in model_names]
