"""Notifications: where each crawl's changes are told (destinations), what a message says,
and sending the outbox (storage.outbox) through Apprise until each message is accepted."""
