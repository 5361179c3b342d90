import type { App } from '@slack/bolt';
import { refreshHome } from '../../../services/refresh-home.js';
import { afterAck, contextFor, type ListenerDeps } from '../context.js';
import { reportMalformed } from '../malformed.js';
import { homeOpenedEvent, teamIdOf } from '../payloads.js';

/** The App Home tab lists active upgrades with their progress, fresh each time it is opened. */
export function registerAppHomeOpened(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    await afterAck(deps, undefined, async () => {
      const parsed = homeOpenedEvent.safeParse(event);
      if (!parsed.success) {
        await reportMalformed(deps, body, 'event:app_home_opened', parsed.error);
        return;
      }
      if (parsed.data.tab !== undefined && parsed.data.tab !== 'home') return;
      const teamId = teamIdOf(body);
      await refreshHome({
        ctx: contextFor(deps, teamId, parsed.data.user),
        input: { teamId, userId: parsed.data.user },
      });
    });
  });
}
