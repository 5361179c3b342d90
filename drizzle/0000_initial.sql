CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'delivered', 'dead');--> statement-breakpoint
CREATE TYPE "public"."plan_name" AS ENUM('single', 'manual', 'sync', 'async', 'hardware');--> statement-breakpoint
CREATE TYPE "public"."reminder_status" AS ENUM('pending', 'sent', 'dropped', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."time_rule" AS ENUM('FAILOVER_GAP', 'WINDOW_START', 'WINDOW_OVERRUN', 'INSTALL_AFTER_DOWNLOAD', 'SYNC_CONFIRM', 'CLIENTS_SETTLE', 'CLAIM_STALE');--> statement-breakpoint
CREATE TYPE "public"."upgrade_status" AS ENUM('active', 'blocked', 'completed', 'aborted');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"upgrade_id" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" jsonb NOT NULL,
	"action" text NOT NULL,
	"step_key" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cron_leases" (
	"key" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handled_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"upgrade_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"upgrade_id" uuid,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"coalesce_key" text,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"upgrade_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participants_upgrade_id_user_id_pk" PRIMARY KEY("upgrade_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"upgrade_id" uuid NOT NULL,
	"rule" time_rule NOT NULL,
	"key" text NOT NULL,
	"scope" text,
	"anchor" text NOT NULL,
	"occurrence" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "reminder_status" DEFAULT 'pending' NOT NULL,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"upgrade_id" uuid NOT NULL,
	"slot" text NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"rendered_version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_messages_upgrade_id_slot_pk" PRIMARY KEY("upgrade_id","slot")
);
--> statement-breakpoint
CREATE TABLE "upgrades" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"plan" "plan_name" NOT NULL,
	"status" "upgrade_status" NOT NULL,
	"ticket" text,
	"appliance_a" text,
	"appliance_b" text,
	"channel_id" text,
	"channel_name" text,
	"state" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_upgrade_id_upgrades_id_fk" FOREIGN KEY ("upgrade_id") REFERENCES "public"."upgrades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_upgrade_idx" ON "audit_events" USING btree ("upgrade_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_pending_coalesce_key" ON "outbox" USING btree ("coalesce_key") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_upgrade_key_key" ON "reminders" USING btree ("upgrade_id","key");--> statement-breakpoint
CREATE INDEX "reminders_due_idx" ON "reminders" USING btree ("due_at") WHERE "reminders"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "upgrades_channel_id_key" ON "upgrades" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "upgrades_team_status_idx" ON "upgrades" USING btree ("team_id","status");