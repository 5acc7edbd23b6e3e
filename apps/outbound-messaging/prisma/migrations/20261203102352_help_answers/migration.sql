/*
  Warnings:

  - A unique constraint covering the columns `[in_answer_to]` on the table `outbound_message` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "outbound_channel" ADD COLUMN     "help_text" TEXT;

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "in_answer_to" UUID,
ALTER COLUMN "configuration_id" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_in_answer_to_key" ON "outbound_message"("in_answer_to");
