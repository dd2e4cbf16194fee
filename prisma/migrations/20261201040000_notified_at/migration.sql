-- An alert or digest and its webhook deliveries are written in separate
-- transactions: a crash or a database error between the two used to lose the
-- webhook for good (re-evaluating found the alert already there and emitted
-- nothing). notified_at is set once the deliveries are recorded; an alert or
-- digest met again without it is emitted again (emitting is idempotent per
-- message id), so the gap closes at the next budget evaluation or digest retry.
ALTER TABLE alerts ADD COLUMN notified_at timestamptz(3);
ALTER TABLE digests ADD COLUMN notified_at timestamptz(3);
-- What exists was emitted by the code before this column.
UPDATE alerts SET notified_at = created_at;
UPDATE digests SET notified_at = created_at;
