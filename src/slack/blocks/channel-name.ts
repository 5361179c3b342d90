// Channel names: `pra-<plan>-<yyyymmdd>[-<ticket>]`, with a suffix per attempt after `name_taken`.
// A name is never reused for another upgrade: each retry asks for a new one.
import { DateTime } from 'luxon';
import type { UpgradeSnapshot } from '../../services/ports/slack.js';
import { SLACK_LIMITS } from './limits.js';

/** Lowercase, only `a-z0-9-_`, no repeated or edge dashes: what conversations.create accepts. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

function dayOf(snapshot: UpgradeSnapshot): string {
  const created = DateTime.fromISO(snapshot.createdAt, { setZone: true });
  const at = created.isValid ? created : DateTime.fromISO(snapshot.state.startedAt, { setZone: true });
  return at.isValid ? at.toUTC().toFormat('yyyyMMdd') : '00000000';
}

/** Attempt 0: none; 1–4: `-2`…`-5`; from 5: the upgrade id's first hex digits (then a counter). */
export function attemptSuffix(upgradeId: string, attempt: number): string {
  const n = Math.max(0, Math.floor(attempt));
  if (n === 0) return '';
  if (n < 5) return `-${n + 1}`;
  const hex = (upgradeId.toLowerCase().replace(/[^0-9a-f]/g, '') || '000000').slice(0, 6);
  return n === 5 ? `-${hex}` : `-${hex}-${n - 4}`;
}

export function channelName(snapshot: UpgradeSnapshot, attempt: number): string {
  const base = slug(`pra-${snapshot.plan}-${dayOf(snapshot)}`);
  const suffix = attemptSuffix(snapshot.id, attempt);
  const room = SLACK_LIMITS.channelName - base.length - suffix.length - 1;
  // The ticket gives way to the suffix: cutting the suffix would make every retry the same name.
  const ticket = snapshot.ticket && room > 0 ? slug(slug(snapshot.ticket).slice(0, room)) : '';
  return `${base}${ticket ? `-${ticket}` : ''}${suffix}`.slice(0, SLACK_LIMITS.channelName);
}
