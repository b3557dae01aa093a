"""Several ids at once: edit (themes, tags, type, audience), submit, approve, confirm and
retire take one or more ids. With one id the command runs as it always has; with several
the action goes to every resource through the library's bulk service, each still checked
by the rules: what was done is counted, and each one refused is listed with the reason.

Exit status: 0 when every resource was done (or already so), 1 when any was refused.
"""

from __future__ import annotations

import sys

from curator.base.errors import CuratorError
from curator.cli.output import _out, clean, say

#: The commands that take several ids.
SEVERAL = ("edit", "submit", "approve", "retire", "confirm")
#: What edit can do to several resources at once: option -> bulk action.
_EDITS = (("add_theme", "add_themes"), ("remove_theme", "remove_themes"),
          ("add_tag", "add_tags"), ("remove_tag", "remove_tags"), ("type", "set_type"),
          ("audience", "set_audience"))
_ONE_ONLY = ("title", "summary", "notes", "author", "site", "published", "review_due",
             "theme", "tag")


def several(handlers: dict) -> dict:
    """The handlers for :data:`SEVERAL`, taking a list of ids (one runs as before)."""
    return {name: _taking_several(name, handlers[name]) for name in SEVERAL}


def _taking_several(name: str, one):
    def handler(lib, args) -> int:
        ids = args.id if isinstance(args.id, list) else [args.id]
        if len(ids) == 1:
            args.id = ids[0]
            return one(lib, args)
        return _bulk(lib, args, name, ids)
    return handler


def _steps(args, name: str) -> list[tuple[str, object, dict]]:
    if name == "submit" or name == "approve":
        return [(name, None, {"override_reason": args.override, "despite": args.despite})]
    if name == "retire":
        return [("retire", None, {"reason": args.reason})]
    if name == "confirm":
        return [("confirm", None, {"note": args.note or ""})]
    given = [o for o in _ONE_ONLY if getattr(args, o, None) is not None]
    if given or getattr(args, "confirm", False):
        raise CuratorError("With several ids, edit can add or remove themes and tags "
                           "(--add-theme, --remove-tag...) or set --type and --audience. "
                           "Give one id to change anything else.")
    steps = []
    for option, action in _EDITS:
        value = getattr(args, option, None)
        if value:
            steps.append((action, value, {}))
    if not steps:
        raise CuratorError("Say what to change, for example --add-theme DA or --type "
                           "guidance. See: curator edit --help")
    return steps


def _bulk(lib, args, name: str, ids: list[str]) -> int:
    results = [lib.bulk(ids, action, value, **options)
               for action, value, options in _steps(args, name)]

    def human():
        for result in results:
            say(result.summary())
            for refusal in result.refused:
                say(f"  Not done: {refusal.resource_id[:8]}  {clean(refusal.title)}: "
                    f"{refusal.reason}", file=sys.stderr)
    data = [r.to_dict() for r in results]
    _out(args, data[0] if len(data) == 1 else data, human)
    return 1 if any(r.refused for r in results) else 0
