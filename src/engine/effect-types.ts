import type { EffectType } from './types.js';

/**
 * Every effect type once, and whether it is worth a message in the channel (announced); the rest only
 * change what the runbook messages show. Exhaustive: a new effect does not compile until it is decided.
 */
export const ANNOUNCED = {
  'upgrade-started': false,
  warning: true,
  'step-claimed': false,
  'step-confirmed': false,
  'step-completed': false,
  'step-skipped': false,
  'check-confirmed': false,
  'step-undone': false,
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
  'reminder-scheduled': false,
  'reminder-snoozed': true,
  'reminders-cancelled': false,
  'verification-started': false,
  'step-verified': false,
  'verification-noted': false,
  'verification-overridden': true,
  'sync-observed': true,
  'jump-clients-counted': false,
} as const satisfies Record<EffectType, boolean>;

/** The effect types, for the vocabularies built on them (the audit actions). */
export const EFFECT_TYPES = Object.keys(ANNOUNCED) as EffectType[];
