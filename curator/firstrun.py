"""Setting up a library for a new expert: the welcome's choices, applied by the core."""

from __future__ import annotations

from pathlib import Path

from curator.library import Library


def set_up_library(folder: str | Path, name: str, looks_after: list[str],
                   demo: bool = False) -> Library:
    """Open or make the library, act as *name*, and make them lead of their themes.

    An expert who looks after a theme leads it: they review and approve its resources.
    With *demo*, the library is filled with sample resources to try things safely.
    """
    if demo:
        from curator.demo import create_demo_library
        lib = create_demo_library(folder, expert=name)
    else:
        lib = Library.open(folder)
    try:
        if not demo:
            lib.act_as(name)
        for code in looks_after:
            theme = lib.theme(code)
            if lib.actor.name in theme.leads:
                continue
            if demo and theme.leads:
                # The demo's sample lead hands the theme over: only a lead may appoint one.
                me = lib.actor.name
                lib.act_as(theme.leads[0])
                lib.set_theme_role(code, me, "lead")
                lib.act_as(me)
            else:
                lib.set_theme_role(code, lib.actor.name, "lead")
    except BaseException:
        lib.close()  # a refused choice must not leave the library open
        raise
    return lib
