"""The decision forms (DESIGN.md sections 4 and 8): a triggered rule turned into a decision through a
prefilled form (never twice for the same trigger), a new decision, and an existing one decided or edited.
Each ends in one undoable command pushed on the window's undo stack."""

from __future__ import annotations

from pmodesk.engine.rules import decision_from_trigger


def record_decision(window, rule_result) -> None:
    """A triggered rule becomes a decision through a prefilled form (raised on D, linked to the rule)."""
    from pmodesk.commands import record_decision as decision_command
    from pmodesk.engine.cycle import decision_for_trigger
    from pmodesk.ui.register_view import RecordDialog

    if window.data is None:
        return
    existing = decision_for_trigger(window.data, rule_result)
    if existing is not None:  # never a second decision for the same trigger
        window.show_decision(existing.id)
        return
    decision = decision_from_trigger(rule_result, window.current_as_of())
    dialog = RecordDialog("decision", decision, window.data, window)
    dialog.setWindowTitle(f"Record a decision — rule {rule_result.rule.code} of {rule_result.initiative.code}")
    if not dialog.exec() or dialog.result_record is None:
        return
    window.push(decision_command(dialog.result_record))
    window.statusBar().showMessage(f"Recorded a decision for rule {rule_result.rule.code} of "
                                   f"{rule_result.initiative.code}.", 5000)

def add_decision(window) -> None:
    from pmodesk.commands import InsertRecord
    from pmodesk.domain.enums import DecisionKind
    from pmodesk.domain.model import Decision
    from pmodesk.ui.register_view import RecordDialog

    if window.data is None or not window.data.initiatives:
        return
    first = min(window.data.initiatives, key=lambda i: i.code)
    dialog = RecordDialog("decision", Decision(first.id, DecisionKind.GATE_REVIEW, window.current_as_of(), ""),
                          window.data, window)
    if dialog.exec() and dialog.result_record is not None:
        window.push(InsertRecord(dialog.result_record, label="Add decision"))

def edit_decision(window, decision) -> None:
    from pmodesk.commands import UpdateRecord
    from pmodesk.store.specs import SPECS
    from pmodesk.ui.register_view import HIDDEN, RecordDialog

    if window.data is None:
        return
    dialog = RecordDialog("decision", decision, window.data, window)
    if not dialog.exec() or dialog.result_record is None:
        return
    new = dialog.result_record
    changed = {n: getattr(new, n) for n in SPECS["decision"].fields
               if n not in HIDDEN and getattr(new, n) != getattr(decision, n)}
    if changed:
        window.push(UpdateRecord("decision", decision.id, {n: getattr(decision, n) for n in changed}, changed,
                               label="Edit decision"))
