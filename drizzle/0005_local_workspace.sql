CREATE TABLE "local_workspace_objects" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "local_workspace_objects_kind_id_pk" PRIMARY KEY("kind","id"),
	CONSTRAINT "local_workspace_objects_kind_known" CHECK ("kind" in ('meta', 'user', 'channel', 'message', 'ephemeral', 'view', 'reply'))
);
