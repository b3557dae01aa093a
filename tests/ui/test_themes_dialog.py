"""Tools › Themes and experts (issue 17), driven offscreen on the demo library: themes
added, renamed and retired, experts added and made leads, every change listed with who
and when, and the core's refusals shown as it words them. Sam Patel leads DA, CSA and
FII; Priya Shah leads NEG, EXP and DIG."""

from __future__ import annotations

from curator.ui.themes_dialog import ThemesDialog, history_line
from tests.support.qt import idle


def opened(window, qtbot) -> ThemesDialog:
    window.act_themes.trigger()  # Tools › Themes and experts…
    dialog = window.themes_dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    return dialog


def choose(dialog, code):
    codes = [t.code for t in dialog._themes]
    dialog.theme_list.setCurrentRow(codes.index(code))


def test_add_rename_and_retire_a_theme(window, qtbot):
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert window.act_themes in tools.actions()
    dialog = opened(window, qtbot)
    dialog.start_adding()
    dialog.code.setText("sh")
    dialog.name.setText("  Self-harm  ")
    dialog.review_months.setValue(6)
    dialog.evidence_years.setValue(0)  # no limit
    dialog.four_eyes.setChecked(True)
    dialog.save.click()
    idle(qtbot, window)
    theme = window.lib.theme("SH")
    assert (theme.name, theme.review_months, theme.evidence_years, theme.four_eyes) == (
        "Self-harm", 6, None, True)
    assert dialog.current_code() == "SH" and "Added the theme SH" in dialog.message.text()
    assert dialog.history.item(0).text().endswith("Sam Patel added the theme")
    # The sidebar heard of it through the one change signal.
    assert "SH" in [t.code for t in window.lib.themes(include_inactive=False)]

    dialog.name.setText("Self-harm and suicide")
    dialog.review_months.setValue(3)
    dialog.save.click()
    idle(qtbot, window)
    assert window.lib.theme("SH").name == "Self-harm and suicide"
    assert "Sam Patel renamed it from “Self-harm” to “Self-harm and suicide”; review every " \
           "6 → 3 months" in dialog.history.item(0).text()

    dialog.retire.click()  # SH has no lead yet: anyone may
    idle(qtbot, window)
    assert window.lib.theme("SH").active is False
    assert dialog.theme_list.currentItem().text().endswith("(retired)")
    assert dialog.retire.text() == "Restart theme"
    assert "SH" not in [t.code for t in window.lib.themes(include_inactive=False)]

    dialog.start_adding()  # a code already in use: refused, the form keeps what was typed
    dialog.code.setText("DA")
    dialog.name.setText("Another DA")
    dialog.save.click()
    idle(qtbot, window)
    assert "already a theme with the code DA" in dialog.message.text()
    assert dialog.name.text() == "Another DA" and window.lib.theme("DA").name != "Another DA"
    dialog.grab().save("/tmp/themes-dialog-shot.png")


def test_experts_leads_and_the_rules_refusals(window, qtbot):
    dialog = opened(window, qtbot)
    dialog.new_expert.setText("Jo  Grant")
    dialog.add_expert_button.click()
    idle(qtbot, window)
    assert "Jo Grant" in [e.name for e in window.lib.experts()]
    assert dialog.person.findText("Jo Grant") >= 0 and dialog.new_expert.text() == ""

    choose(dialog, "DA")  # Sam leads DA: he may appoint another lead
    dialog.person.setCurrentText("Jo Grant")
    dialog.make_lead.click()
    idle(qtbot, window)
    assert window.lib.theme("DA").leads == ["Jo Grant", "Sam Patel"]
    assert "Jo Grant — lead" in [dialog.people.item(i).text()
                                 for i in range(dialog.people.count())]
    assert "Sam Patel made Jo Grant a lead" in dialog.history.item(0).text()

    choose(dialog, "NEG")  # Priya leads NEG: Sam may not appoint there, nor turn four eyes
    dialog.person.setCurrentText("Sam Patel")
    dialog.make_lead.click()
    idle(qtbot, window)
    assert "Only a lead of NEG can make Sam Patel a lead of it" in dialog.message.text()
    assert "Ask Priya Shah" in dialog.message.text()
    assert window.lib.theme("NEG").leads == ["Priya Shah"]
    dialog.four_eyes.setChecked(not window.lib.theme("NEG").four_eyes)
    dialog.save.click()
    idle(qtbot, window)
    assert "turn four eyes on or off" in dialog.message.text()

    choose(dialog, "CSA")  # Sam is CSA's only lead: he stays until someone else leads
    dialog.person.setCurrentText("Sam Patel")
    dialog.take_off.click()
    idle(qtbot, window)
    assert "Sam Patel is the only lead of CSA" in dialog.message.text()
    assert window.lib.theme("CSA").leads == ["Sam Patel"]
    dialog.grab().save("/tmp/themes-dialog-refused-shot.png")


def test_a_lead_makes_a_deputy_who_may_approve_but_not_appoint(window, qtbot):
    dialog = opened(window, qtbot)
    dialog.new_expert.setText("Jo Grant")
    dialog.add_expert_button.click()
    idle(qtbot, window)
    choose(dialog, "DA")  # Sam leads DA
    dialog.person.setCurrentText("Jo Grant")
    dialog.make_deputy.click()
    idle(qtbot, window)
    assert window.lib.theme("DA").deputies == ["Jo Grant"]
    people = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert "Jo Grant — deputy" in people and "Sam Patel — lead" in people
    assert "Jo Grant is now a deputy of DA." in dialog.message.text()
    assert "Sam Patel made Jo Grant a deputy" in dialog.history.item(0).text()
    assert "deputies approve too" in dialog.intro.text()

    window.lib.act_as("Jo Grant")  # the deputy may not appoint another
    dialog.person.setCurrentText("Priya Shah")
    dialog.make_deputy.click()
    idle(qtbot, window)
    assert "Only a lead of DA can make Priya Shah a deputy of it" in dialog.message.text()
    assert window.lib.theme("DA").deputies == ["Jo Grant"]
    window.lib.act_as("Sam Patel")


def test_history_lines_read_as_sentences():
    line = history_line({"at": "2026-12-02T14:03:00+00:00",
                         "words": "Sam Patel turned four eyes on"})
    assert line.endswith("  Sam Patel turned four eyes on") and "Dec 2026" in line
