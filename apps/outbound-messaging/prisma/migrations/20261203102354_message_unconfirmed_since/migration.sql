-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "unconfirmed_since" TIMESTAMPTZ(3);
