-- The audit vocabulary gains message-adopted and start-repeated; NOT VALID as in 0003 (append-only rows stay).
CREATE TABLE "delivery_leases" (
	"upgrade_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_owners" (
	"id" text PRIMARY KEY NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_action_known";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "claims" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "delivery_leases" ADD CONSTRAINT "delivery_leases_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cron_leases_expires_idx" ON "cron_leases" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_upgrade_idx" ON "outbox" USING btree ("upgrade_id","id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_action_known" CHECK ("action" in ('upgrade-started', 'warning', 'step-claimed', 'step-confirmed', 'step-completed', 'step-skipped', 'check-confirmed', 'step-undone', 'problem-reported', 'guidance', 'upgrade-blocked', 'problem-resolved', 'upgrade-unblocked', 'option-changed', 'window-set', 'lead-reassigned', 'failover-gap-opened', 'failover-gap-closed', 'failover-gap-reopened', 'failover-gap-withdrawn', 'sync-confirmed', 'upgrade-completed', 'upgrade-aborted', 'reminder-scheduled', 'reminder-snoozed', 'reminders-cancelled', 'verification-started', 'step-verified', 'verification-noted', 'verification-overridden', 'sync-observed', 'jump-clients-counted', 'command-refused', 'start-refused', 'input-rejected', 'participants-added', 'participant-joined', 'participant-left', 'observer-joined', 'reminder-sent', 'reminder-dropped', 'channel-created', 'channel-adopted', 'channel-name-taken', 'message-adopted', 'start-repeated', 'invite-failed', 'delivery-failed', 'delivery-abandoned', 'slack-call-failed', 'listener-failed', 'job-failed', 'appliance-queried')) NOT VALID;