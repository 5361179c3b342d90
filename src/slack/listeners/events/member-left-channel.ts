import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../context.js';
import { membershipListener } from './membership-change.js';

/** Leaving the upgrade channel ends being a participant. */
export function registerMemberLeftChannel(app: App, deps: ListenerDeps): void {
  app.event('member_left_channel', membershipListener(deps, 'left'));
}
