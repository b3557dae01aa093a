"""Keeping resources current: the review queue, decisions, review dates and link health."""
