-- Inbox rows are kept for a retention period like published outbox rows; the cleanup deletes by age.
CREATE INDEX "inbox_event_processed_at_idx" ON "inbox_event"("processed_at");
