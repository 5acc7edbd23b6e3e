-- AlterTable
ALTER TABLE "engagement_configuration" ADD COLUMN     "frequency_cap" JSONB;
