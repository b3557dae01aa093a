"""Fetching a page and reading it: the fetcher, the extractors and the clip service."""
