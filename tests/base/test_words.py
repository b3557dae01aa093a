"""Counts are said in plain words, never "resource(s)"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from curator.base.words import plural, verb


def test_a_count_takes_the_right_form_of_its_noun_and_verb():
    assert plural(1, "resource") == "1 resource"
    assert plural(0, "resource") == "0 resources"
    assert plural(1204, "other resource") == "1,204 other resources"
    assert plural(2, "library", "libraries") == "2 libraries"
    assert (verb(1, "was", "were"), verb(3, "was", "were")) == ("was", "were")


def _messages(tree: ast.AST):
    """The string literals of a module that are not docstrings."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docs:
            yield node.lineno, node.value


def test_no_message_counts_with_a_bracketed_plural():
    root = Path(__file__).resolve().parents[2] / "curator"
    found = [f"{path.relative_to(root)}:{line}: {text!r}" for path in root.rglob("*.py")
             for line, text in _messages(ast.parse(path.read_text("utf-8")))
             if re.search(r"[a-z]\(s\)", text)]
    assert not found, found
