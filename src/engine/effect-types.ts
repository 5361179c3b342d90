import type { EffectType } from './types.js';

/** Every effect type once; the compiler refuses a missing or unknown one, so the list stays whole. */
const EFFECT_TYPE_SET = {
  'upgrade-started': true,
  warning: true,
  'step-claimed': true,
  'step-confirmed': true,
  'step-completed': true,
  'step-skipped': true,
  'check-confirmed': true,
  'step-undone': true,
  'problem-reported': true,
  guidance: true,
  'upgrade-blocked': true,
  'problem-resolved': true,
  'upgrade-unblocked': true,
  'option-changed': true,
  'window-set': true,
  'lead-reassigned': true,
  'failover-gap-opened': true,
  'failover-gap-closed': true,
  'failover-gap-reopened': true,
  'failover-gap-withdrawn': true,
  'sync-confirmed': true,
  'upgrade-completed': true,
  'upgrade-aborted': true,
  'reminder-scheduled': true,
  'reminder-snoozed': true,
  'reminders-cancelled': true,
  'verification-started': true,
  'step-verified': true,
  'verification-noted': true,
  'verification-overridden': true,
  'sync-observed': true,
  'jump-clients-counted': true,
} as const satisfies Record<EffectType, true>;

/** The effect types, for the vocabularies built on them (audit actions, announcements). */
export const EFFECT_TYPES = Object.keys(EFFECT_TYPE_SET) as EffectType[];
