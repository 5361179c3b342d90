import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../context.js';
import { membershipListener } from './membership-change.js';

/** Joining the upgrade channel makes a participant. */
export function registerMemberJoinedChannel(app: App, deps: ListenerDeps): void {
  app.event('member_joined_channel', membershipListener(deps, 'joined'));
}
