-- Where a do-not-call entry came from: NULL for an administrator (API or CSV import), 'messaging-consent' for a
-- customer's SMS/WhatsApp opt-out (messaging.consent.v1). An opt-in removes only the entries its opt-out made.
-- AlterTable
ALTER TABLE "do_not_call_entry" ADD COLUMN "source" TEXT;
