/*
  Warnings:

  - You are about to drop the column `retry_intervals` on the `engagement_configuration` table. All the data in the column will be lost.
  - Added the required column `callee_local_hours` to the `engagement_configuration` table without a default value. This is not possible if the table is not empty.
  - Added the required column `retry_intervals_seconds` to the `engagement_configuration` table without a default value. This is not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "engagement_configuration" DROP COLUMN "retry_intervals",
ADD COLUMN     "callee_local_hours" JSONB NOT NULL,
ADD COLUMN     "retry_intervals_seconds" JSONB NOT NULL;
