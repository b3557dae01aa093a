"""Errors shown as plain English with a "Show details" expander; never a bare traceback."""

from __future__ import annotations

import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from curator.base.errors import CuratorError


def describe(error: BaseException) -> tuple[str, str]:
    """(message, details) for an error: ours carry their own words; others are bugs."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if isinstance(error, CuratorError):
        return error.message, (error.detail or "") + ("\n\n" + details if details else "")
    if isinstance(error, OSError):
        return (f"Curator could not use a file or folder: {error.strerror or error}. "
                "Check the disk and that you can write to the library folder."), details
    return ("Something went wrong that Curator did not expect. Your saved work is safe. "
            "If it happens again, please send the details to whoever supports Curator."), details


def show_error(parent: QWidget | None, message: str, details: str = "",
               title: str = "Curator") -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message)
    if details.strip():
        box.setDetailedText(details)
    box.setAccessibleName("Problem")
    box.exec()
