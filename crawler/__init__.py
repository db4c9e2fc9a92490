"""Fetching and parsing pages of the watched site into typed items."""
