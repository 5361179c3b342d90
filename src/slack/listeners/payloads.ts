import { z } from 'zod';

// The parts of Slack's payloads the listeners use; everything arriving from Slack goes through these.

export const slashCommandPayload = z.object({
  text: z.string().max(4000),
  user_id: z.string().min(1),
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  response_url: z.url(),
  trigger_id: z.string().min(1),
});
export type SlashCommandPayload = z.infer<typeof slashCommandPayload>;

// Who clicked or submitted, and the workspace, as interaction payloads carry them.
const clicker = z.object({ id: z.string().min(1), team_id: z.string().optional() });
const teamRef = z
  .object({ id: z.string().min(1) })
  .nullable()
  .optional();

export const blockActionPayload = z.object({
  user: clicker,
  team: teamRef,
  channel: z.object({ id: z.string().min(1) }).optional(),
  response_url: z.url().optional(),
  trigger_id: z.string().min(1),
  actions: z
    .array(
      z.object({
        action_id: z.string().min(1).max(255),
        block_id: z.string().min(1).max(255),
        value: z.string().max(2000).optional(),
        /** Overflow menus and selects send the chosen option instead of a value. */
        selected_option: z.object({ value: z.string().max(150) }).optional(),
        action_ts: z.string().min(1),
      }),
    )
    .min(1),
});
export type BlockActionPayload = z.infer<typeof blockActionPayload>;

// Where Slack names the workspace: at the top level (events, commands), in `team` (an object in
// interactions, an id in some events) or on the user.
const teamCarrier = z
  .object({
    team_id: z.string().min(1).optional().catch(undefined),
    team: z
      .union([z.string().min(1), z.object({ id: z.string().min(1) }).loose()])
      .nullable()
      .optional()
      .catch(undefined),
    user: z
      .object({ team_id: z.string().min(1).optional() })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();

/** The team id of the first source that names one, or `unknown`: the one reader of it. */
export function teamIdOf(...sources: unknown[]): string {
  for (const source of sources) {
    const parsed = teamCarrier.safeParse(source);
    if (!parsed.success) continue;
    const { team_id: top, team, user } = parsed.data;
    const id = top ?? (typeof team === 'string' ? team : team?.id) ?? user?.team_id;
    if (id) return id;
  }
  return 'unknown';
}

export const viewSubmissionPayload = z.object({
  user: clicker,
  team: teamRef,
  view: z.object({
    id: z.string().optional(),
    callback_id: z.string(),
    private_metadata: z.string().max(3000),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(z.string(), z.object({ value: z.string().nullable().optional() }).loose()),
      ),
    }),
  }),
});
export type ViewSubmissionPayload = z.infer<typeof viewSubmissionPayload>;

/** The text typed into one input of a modal. */
export function inputValue(payload: ViewSubmissionPayload, block: string, action: string): string {
  return payload.view.state.values[block]?.[action]?.value?.trim() ?? '';
}

export const membershipEvent = z.object({
  user: z.string().min(1),
  channel: z.string().min(1),
  team: z.string().optional(),
  /** Present when someone else added the person to the channel. */
  inviter: z.string().optional(),
});

export const homeOpenedEvent = z.object({ user: z.string().min(1), tab: z.string().optional() });

/** A short, token-free description of what arrived, for the audit log. */
export function describeReceived(value: unknown): string {
  try {
    return JSON.stringify(value, (key, v) => (/token|secret/i.test(key) ? '[redacted]' : v)).slice(0, 500);
  } catch {
    return String(value).slice(0, 500);
  }
}
