DROP INDEX "outbox_pending_coalesce_key";--> statement-breakpoint
ALTER TABLE "outbox" DROP COLUMN "coalesce_key";