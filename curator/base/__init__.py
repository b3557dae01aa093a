"""Foundations every layer may use: errors, the clock, atomic files, background work."""
