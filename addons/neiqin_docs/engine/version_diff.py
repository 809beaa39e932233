"""What changed between two versions of a job description, in plain Python.

A version is given as a plain dict (``snapshot``), so that the comparison
is tested without a database:

    {
        "fields": {"goal": "…", "workflow": "…", "responsibility": "…"},
        "duties": [{"name": "…", "description": "…", "steps": ["…", …]}, …],
        "indicators": [{"name": "…", "target": "…", "weight": 30.0}, …],
    }

Duties and indicators are matched by name (the name is what people read as
"the same duty"); a duty or indicator whose name is in one version only is
added or removed, one in both whose other values differ is changed.
"""

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list | tuple | set):
        return sorted(value)
    return value


def _by_name(items):
    keyed = {}
    for item in items:
        name = _norm(item.get("name") or "")
        # Two items of one name: the second is told apart by its rank.
        key, rank = name, 2
        while key in keyed:
            key = f"{name} ({rank})"
            rank += 1
        keyed[key] = item
    return keyed


def _compare_items(old_items, new_items, keys):
    """Added, removed and changed items, in the new version's order (the
    removed ones last): a list of dicts ``{"name", "change", "values"}``
    where ``values`` maps each changed key to its (old, new) pair."""
    old, new = _by_name(old_items), _by_name(new_items)
    result = []
    for name, item in new.items():
        if name not in old:
            result.append({"name": name, "change": ADDED, "values": {}})
            continue
        values = {
            key: (old[name].get(key), item.get(key))
            for key in keys
            if _norm(old[name].get(key)) != _norm(item.get(key))
        }
        if values:
            result.append({"name": name, "change": CHANGED, "values": values})
    result.extend(
        {"name": name, "change": REMOVED, "values": {}} for name in old if name not in new
    )
    return result


def compare_versions(old, new):
    """The differences from snapshot ``old`` to snapshot ``new``:
    ``{"fields": {name: (old, new)}, "duties": [...], "indicators": [...]}``
    (see :func:`_compare_items`); empty lists and dict when equal."""
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    fields = {
        name: (old_fields.get(name), new_fields.get(name))
        for name in (*old_fields, *(n for n in new_fields if n not in old_fields))
        if _norm(old_fields.get(name) or "") != _norm(new_fields.get(name) or "")
    }
    return {
        "fields": fields,
        "duties": _compare_items(
            old.get("duties", []), new.get("duties", []), ("description", "steps")
        ),
        "indicators": _compare_items(
            old.get("indicators", []), new.get("indicators", []), ("target", "weight")
        ),
    }


def is_empty(diff):
    """Whether ``diff`` (from :func:`compare_versions`) records no change."""
    return not (diff["fields"] or diff["duties"] or diff["indicators"])
