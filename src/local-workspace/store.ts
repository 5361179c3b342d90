// Keeps the local workspace in the bot's database: one row per person, channel, message, ephemeral,
// reply and view, plus one row of counters and the clock. Each save writes only what changed.
import { z } from 'zod';
import type { FakeSlackState } from '../fake-slack/types.js';
import type { Logger } from '../logging/logger.js';
import { type LocalObject, loadLocalWorkspace } from '../services/load-local-workspace.js';
import { saveLocalWorkspace } from '../services/save-local-workspace.js';
import type { ServiceContext } from '../services/shared/context.js';

type LocalObjectKind = LocalObject['kind'];

/** A reply the bot posted to a response_url: shown, like an ephemeral message, to one person only. */
export interface LocalReply {
  id: string;
  user: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  /** Milliseconds, simulated clock. */
  at: number;
}

export interface WorkspaceSnapshot {
  slack: FakeSlackState;
  clockOffsetMs: number;
  replies: LocalReply[];
  /** Modal id → the person it was opened for. */
  viewOwners: Record<string, string>;
}

const meta = z.object({
  idTag: z.string(),
  sequence: z.number().int().nonnegative(),
  lastTsMicros: z.number().nonnegative(),
  homeViews: z.record(z.string(), z.string()),
  modalIds: z.array(z.string()),
  clockOffsetMs: z.number().nonnegative(),
  viewOwners: z.record(z.string(), z.string()),
});
// Rows are the workspace's own writes; the shape checks catch a database from another version.
const withId = z.looseObject({ id: z.string() });
const message = z.looseObject({ channel: z.string(), ts: z.string(), text: z.string() });
const ephemeral = z.looseObject({ channel: z.string(), user: z.string(), message_ts: z.string() });
const channel = z.looseObject({ id: z.string(), members: z.array(z.string()), pins: z.array(z.string()) });

type Keyed = { kind: LocalObjectKind; id: string; data: unknown };

function toObjects(snapshot: WorkspaceSnapshot): Keyed[] {
  const { slack } = snapshot;
  return [
    {
      kind: 'meta',
      id: 'workspace',
      data: {
        idTag: slack.idTag,
        sequence: slack.sequence,
        lastTsMicros: slack.lastTsMicros,
        homeViews: slack.homeViews,
        modalIds: slack.modalIds,
        clockOffsetMs: snapshot.clockOffsetMs,
        viewOwners: snapshot.viewOwners,
      },
    },
    ...slack.users.map((user): Keyed => ({ kind: 'user', id: user.id, data: user })),
    ...slack.channels.map((c): Keyed => ({ kind: 'channel', id: c.id, data: c })),
    ...slack.messages.map((m): Keyed => ({ kind: 'message', id: `${m.channel}/${m.ts}`, data: m })),
    ...slack.ephemerals.map(
      (e): Keyed => ({ kind: 'ephemeral', id: `${e.channel}/${e.message_ts}`, data: e }),
    ),
    ...slack.views.map((v): Keyed => ({ kind: 'view', id: v.id, data: v })),
    ...snapshot.replies.map((r): Keyed => ({ kind: 'reply', id: r.id, data: r })),
  ];
}

function fromObjects(rows: LocalObject[]): WorkspaceSnapshot | null {
  const metaRow = rows.find((row) => row.kind === 'meta' && row.id === 'workspace');
  if (!metaRow) return null;
  const m = meta.parse(metaRow.data);
  const of = <T>(kind: LocalObjectKind, schema: z.ZodType) =>
    rows.filter((row) => row.kind === kind).map((row) => schema.parse(row.data) as T);
  return {
    slack: {
      idTag: m.idTag,
      sequence: m.sequence,
      lastTsMicros: m.lastTsMicros,
      homeViews: m.homeViews,
      modalIds: m.modalIds,
      users: of('user', withId),
      channels: of('channel', channel),
      messages: of('message', message),
      ephemerals: of('ephemeral', ephemeral),
      views: of('view', withId),
    },
    clockOffsetMs: m.clockOffsetMs,
    replies: of<LocalReply>('reply', withId).sort((a, b) => a.at - b.at),
    viewOwners: m.viewOwners,
  };
}

export class WorkspaceStore {
  /** What the database holds, as JSON, by `kind/id`: a save writes the difference. */
  private readonly saved = new Map<string, string>();
  private saving: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly snapshot: () => WorkspaceSnapshot,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<WorkspaceSnapshot | null> {
    const rows = await loadLocalWorkspace({ ctx: this.ctx, input: {} });
    for (const row of rows) this.saved.set(`${row.kind}/${row.id}`, JSON.stringify(row.data));
    return fromObjects(rows);
  }

  /** Saves soon; saves asked for while one runs are folded into one more. */
  schedule(): void {
    if (this.saving) {
      this.again = true;
      return;
    }
    this.saving = (async () => {
      do {
        this.again = false;
        await this.saveNow().catch((error: unknown) =>
          this.logger.error({ err: error }, 'could not save the local workspace'),
        );
      } while (this.again);
      this.saving = null;
    })();
  }

  /** Resolves once every scheduled save is written. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private async saveNow(): Promise<void> {
    const current = new Map<string, Keyed & { json: string }>();
    for (const object of toObjects(this.snapshot())) {
      current.set(`${object.kind}/${object.id}`, { ...object, json: JSON.stringify(object.data) });
    }
    const upserts = [...current.entries()]
      .filter(([key, object]) => this.saved.get(key) !== object.json)
      .map(([, { kind, id, data }]) => ({ kind, id, data }));
    const deletes = [...this.saved.keys()]
      .filter((key) => !current.has(key))
      .map((key) => {
        const slash = key.indexOf('/');
        return { kind: key.slice(0, slash) as LocalObjectKind, id: key.slice(slash + 1) };
      });
    await saveLocalWorkspace({ ctx: this.ctx, input: { upserts, deletes } });
    for (const removed of deletes) this.saved.delete(`${removed.kind}/${removed.id}`);
    for (const [key, object] of current) this.saved.set(key, object.json);
  }
}
