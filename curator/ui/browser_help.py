"""Help's "Clip from your browser" part (issue 20): the extension, and for computers where
IT allows no extensions, a bookmarklet that opens a ``curator:clip?url=...`` link."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from curator.browser.scheme import BOOKMARKLET

COPY_LABEL = "Copy the bookmarklet"

SECTION = f"""

## Clip from your browser

**With the Curator extension** (Edge, Chrome or Firefox): open the page, sign in if the site
asks, and click **Clip to Curator** in the toolbar (or right-click the page, a link or what
you selected). Choose its themes, tags, type and why it matters, then **Clip this page**.
Curator keeps the page as you see it, so pages behind a partner login keep their real text,
and it notes that the link needs a login. If the extension says it cannot reach Curator,
run `curator browser install` once (or ask IT: they can set it up for everyone).

**Without the extension** (where IT allows none): make a bookmark called "Clip to Curator"
and paste this as its address (the **{COPY_LABEL}** button below copies it):

`{BOOKMARKLET}`

Clicking that bookmark on any page asks Curator to clip it by its address. Curator fetches
the page itself, so for pages behind a login use the extension.
"""


def add_to(dialog, buttons: QDialogButtonBox) -> QPushButton:
    """Add the browser section to the guide's text and the copy button to its buttons."""
    dialog.text.setMarkdown(dialog.text.toMarkdown() + SECTION)
    button = buttons.addButton(COPY_LABEL, QDialogButtonBox.ButtonRole.ActionRole)
    button.setToolTip("Copies the bookmarklet's address, to paste into a new bookmark")

    def copy() -> None:
        QGuiApplication.clipboard().setText(BOOKMARKLET)
        button.setText("Copied: paste it as a bookmark's address")
    button.clicked.connect(copy)
    return button
