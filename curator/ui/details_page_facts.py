"""What the details pane says about a clipped page's own words (issue 18): the date it
says it was last updated, and how sure Curator was of the type it guessed."""

from __future__ import annotations



def _day(iso: str) -> str:
    import datetime as dt

    try:
        d = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {d:%B %Y}"


def page_says(r) -> list[str]:
    """Lines for the pane's facts ("" when the page said nothing of the kind)."""
    out = []
    updated = getattr(r, "updated_on", None)
    if updated:
        out.append(f"The page says it was last updated on {_day(updated)}")
    sure = getattr(r, "type_sureness", None)
    if sure is not None:
        # the guessing rules (and their word lists) load only when a guess is shown
        from curator.clipping.extract.typeguess import sureness_words
        out.append(f"Type guessed from the page ({sureness_words(sure)}): change it if it "
                   "is wrong")
    return out
