-- AlterTable
ALTER TABLE "reprice_runs" ADD COLUMN     "model" TEXT;

