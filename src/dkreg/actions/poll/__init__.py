"""The registrar's message queue: poll req/ack, queueing, object snapshots."""
