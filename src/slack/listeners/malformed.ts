import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { rejectInput } from '../../services/reject-input.js';
import type { ServiceContext } from '../../services/shared/context.js';
import { afterAck, contextFor, type ListenerDeps } from './context.js';
import { type BlockActionPayload, blockActionPayload, describeReceived, teamIdOf } from './payloads.js';

// Just enough of any Slack payload to know who sent it and where to answer.
const envelope = z.object({
  response_url: z.url().optional(),
  user_id: z.string().optional(),
  user: z.object({ id: z.string().optional() }).loose().optional(),
});

/**
 * A payload that did not match its schema: audited, and answered through its response_url when it
 * has one, so nobody is left wondering. The state is untouched.
 */
export async function reportMalformed(
  deps: ListenerDeps,
  body: unknown,
  source: string,
  error: z.ZodError,
): Promise<void> {
  deps.logger.warn({ source, issues: error.issues }, 'malformed Slack payload');
  const known = envelope.safeParse(body);
  const data = known.success ? known.data : {};
  const userId = data.user_id ?? data.user?.id ?? 'unknown';
  const teamId = teamIdOf(body);
  await rejectInput({
    ctx: contextFor(deps, teamId, userId),
    input: {
      source,
      problems: [
        'Slack sent this request without something the bot needs, so nothing was done. Please try again.',
      ],
      usage: null,
      received: error.issues
        .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
        .join('; '),
      responseUrl: data.response_url ?? null,
      upgradeId: null,
    },
  });
}

/**
 * Parses a button click; a payload that does not match is reported (audited, answered) and yields
 * null, so every button listener starts the same way.
 */
export async function parseClick(
  deps: ListenerDeps,
  body: unknown,
): Promise<{ payload: BlockActionPayload; ctx: ServiceContext } | null> {
  const parsed = blockActionPayload.safeParse(body);
  if (!parsed.success) {
    await reportMalformed(deps, body, 'action', parsed.error);
    return null;
  }
  return { payload: parsed.data, ctx: contextFor(deps, teamIdOf(parsed.data), parsed.data.user.id) };
}

/**
 * Runs a button's work after the ack, on the parsed click and its first action; a malformed click is
 * reported by parseClick and goes no further.
 */
export function afterClick(
  deps: ListenerDeps,
  body: unknown,
  respond: RespondFn | undefined,
  work: (click: {
    payload: BlockActionPayload;
    ctx: ServiceContext;
    action: BlockActionPayload['actions'][number] | undefined;
  }) => Promise<void>,
): Promise<void> {
  return afterAck(deps, respond, async () => {
    const click = await parseClick(deps, body);
    if (click) await work({ ...click, action: click.payload.actions[0] });
  });
}

/** A click the bot cannot act on: audited, and explained to the person who clicked. Nothing changes. */
export function rejectClick(
  ctx: ServiceContext,
  payload: BlockActionPayload,
  problem: string,
  upgradeId: string | null = null,
): Promise<void> {
  const action = payload.actions[0];
  return rejectInput({
    ctx,
    input: {
      source: `action:${action?.action_id ?? 'unknown'}`,
      problems: [problem],
      usage: null,
      received: describeReceived(action ?? {}),
      responseUrl: payload.response_url ?? null,
      upgradeId,
    },
  });
}
