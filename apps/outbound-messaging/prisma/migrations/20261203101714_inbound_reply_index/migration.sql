-- CreateIndex
CREATE INDEX "inbound_message_in_reply_to_idx" ON "inbound_message"("in_reply_to");
