-- Safe on a filled table: every existing configuration keeps its retry intervals (the column is only
-- renamed; its values were seconds already) and gets the TCPA default callee-local hours, 08:00–21:00,
-- the widest a configuration may set. The final columns are the same as an empty table would get.

-- AlterTable
ALTER TABLE "engagement_configuration"
ADD COLUMN     "callee_local_hours" JSONB NOT NULL DEFAULT '{"start": "08:00", "end": "21:00"}';
ALTER TABLE "engagement_configuration" ALTER COLUMN "callee_local_hours" DROP DEFAULT;

-- AlterTable
ALTER TABLE "engagement_configuration" RENAME COLUMN "retry_intervals" TO "retry_intervals_seconds";
