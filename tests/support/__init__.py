"""Helpers shared by the tests: local servers, made PDFs, sample records, Qt waits.

Tests import helpers from here, never from one another."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
