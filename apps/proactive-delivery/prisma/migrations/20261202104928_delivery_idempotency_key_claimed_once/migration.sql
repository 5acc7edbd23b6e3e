-- An Idempotency-Key is claimed once in proactive_delivery_request_key (the create statement claims it
-- before inserting the delivery), so this unique index repeated that check at the cost of an index entry per create.
-- DropIndex
DROP INDEX "proactive_delivery_tenant_id_idempotency_key_key";
