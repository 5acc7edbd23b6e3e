-- AlterTable
ALTER TABLE "tenant_dialing_settings" ADD COLUMN     "phone_number_validation" TEXT NOT NULL DEFAULT 'strict';
