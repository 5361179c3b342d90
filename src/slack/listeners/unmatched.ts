import type { App } from '@slack/bolt';
import { z } from 'zod';
import { rejectInput } from '../../services/reject-input.js';
import { acknowledgeAfter, contextFor, type ListenerDeps } from './context.js';
import { describeReceived, teamIdOf } from './payloads.js';

/** A listener's id: exact, or a pattern (see `routingApp`). */
type Matcher = string | RegExp;

/** What the listeners answer to, recorded as they are registered (see `recordingRoutes`). */
export interface Routes {
  actions: Matcher[];
  views: Matcher[];
  events: Matcher[];
  commands: Matcher[];
}

function matches(matchers: Matcher[], id: string): boolean {
  return matchers.some((pattern) => (typeof pattern === 'string' ? pattern === id : pattern.test(id)));
}

const routable = z
  .object({
    type: z.string().optional(),
    command: z.string().optional(),
    actions: z.array(z.object({ action_id: z.string().optional() }).loose()).optional(),
    view: z.object({ callback_id: z.string().optional() }).loose().optional(),
    callback_id: z.string().optional(),
    event: z.object({ type: z.string().optional() }).loose().optional(),
    response_url: z.string().optional(),
    user_id: z.string().optional(),
    user: z.union([z.string(), z.object({ id: z.string().optional() }).loose()]).optional(),
  })
  .loose();

/** What no listener answers, as `kind:id`; null when one does. */
function unmatchedRoute(body: unknown, routes: Routes): string | null {
  const parsed = routable.safeParse(body);
  if (!parsed.success) return 'payload:unreadable';
  const b = parsed.data;
  if (b.command !== undefined) return matches(routes.commands, b.command) ? null : `command:${b.command}`;
  switch (b.type) {
    case 'block_actions': {
      const id = b.actions?.[0]?.action_id;
      return id !== undefined && matches(routes.actions, id) ? null : `action:${id ?? '(none)'}`;
    }
    case 'view_submission':
    case 'view_closed': {
      const id = b.view?.callback_id ?? '';
      return matches(routes.views, id) ? null : `view:${id || '(none)'}`;
    }
    case 'event_callback': {
      const id = b.event?.type ?? '';
      return matches(routes.events, id) ? null : `event:${id || '(none)'}`;
    }
    default:
      return `${b.type ?? 'payload'}:${b.callback_id ?? '(none)'}`;
  }
}

/**
 * The catch-all, first of the global middleware: a request no listener answers (a stale button, an
 * unknown modal or event) is acknowledged, audited and, when it has a response_url, answered, instead
 * of Bolt's silent 404 three seconds later.
 */
export function registerCatchAll(app: App, deps: ListenerDeps, routes: Routes): void {
  app.use(async (args) => {
    const route = unmatchedRoute(args.body, routes);
    if (!route) {
      await args.next();
      return;
    }
    const ack =
      'ack' in args && typeof args.ack === 'function' ? (args.ack as () => Promise<void>) : undefined;
    await acknowledgeAfter(deps, ack, undefined, async () => {
      const b = routable.safeParse(args.body);
      const data = b.success ? b.data : {};
      const userId = data.user_id ?? (typeof data.user === 'string' ? data.user : data.user?.id) ?? 'unknown';
      await rejectInput({
        ctx: contextFor(deps, teamIdOf(args.body), userId),
        input: {
          source: `unmatched:${route}`,
          problems: [
            'This bot has nothing that answers that (perhaps an old message or form); nothing was changed. Use the buttons of the current runbook message, or /pra-upgrade help.',
          ],
          usage: null,
          received: describeReceived(route),
          responseUrl: data.response_url ?? null,
          upgradeId: null,
        },
      });
    });
  });
}
