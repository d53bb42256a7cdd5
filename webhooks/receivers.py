"""Domain signals become webhook outbox rows (filled in below)."""
