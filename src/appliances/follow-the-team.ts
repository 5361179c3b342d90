// What a simulated appliance does when the team carries out a step, so the local workspace's
// appliances follow the runbook; each misbehaviour leaves one thing undone, to show a refusal.
import type { Appliance } from '../engine/constants.js';
import type { ApplianceSimulator } from './simulator.js';

export const MISBEHAVIOURS = ['stay-on-old-version', 'keep-failover', 'stop-syncing'] as const;
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

export const MISBEHAVIOUR_LABELS: Record<Misbehaviour, string> = {
  'stay-on-old-version': 'stays on the old version',
  'keep-failover': 'keeps failover configured',
  'stop-syncing': 'stops syncing',
};

export interface Followed {
  appliances: Partial<Record<Appliance, ApplianceSimulator>>;
  /** What each appliance refuses to do. */
  misbehaving: Partial<Record<Appliance, Misbehaviour | null>>;
  /** The version an update installs. */
  newVersion: { version: string; build: string };
}

function does(followed: Followed, appliance: Appliance, what: Misbehaviour): boolean {
  return followed.misbehaving[appliance] !== what;
}

/**
 * Carries out a step on the simulated appliances, as the team would on real ones: Sync Now syncs,
 * Break Failover clears the roles, a site update installs the new version, Make B primary makes B
 * primary, re-establishing sets the planned roles and syncs soon after.
 */
export function carryOut(
  followed: Followed,
  plan: 'single' | 'manual' | 'sync' | 'async' | 'hardware',
  stepKey: string,
  now: Date,
): void {
  const { a, b } = followed.appliances;
  const sim = (appliance: Appliance) => followed.appliances[appliance];
  const [owner = '', ...rest] = stepKey.split('.');
  const action = rest.join('.');
  // The sync completes a moment after the click (the API reports whole seconds).
  if (stepKey === 'a.sync' && a && does(followed, 'a', 'stop-syncing'))
    a.sync(new Date(now.getTime() + 1000));
  if (stepKey === 'a.break') {
    for (const appliance of ['a', 'b'] as const) {
      if (does(followed, appliance, 'keep-failover'))
        sim(appliance)?.set({ role: 'none', sharedIps: [], lastSyncAt: null });
    }
  }
  if (
    (action === 'update.site' || stepKey === 'new.software') &&
    does(followed, owner as Appliance, 'stay-on-old-version')
  ) {
    sim(owner as Appliance)?.set({ ...followed.newVersion });
  }
  if (stepKey === 'b.promote') {
    b?.set({ role: 'primary' });
  }
  if (stepKey.endsWith('.establish')) {
    const [primary, backup] = plan === 'sync' ? [a, b] : [b, a];
    primary?.set({ role: 'primary' });
    backup?.set({ role: 'backup' });
    const syncs = plan === 'sync' ? does(followed, 'a', 'stop-syncing') : does(followed, 'b', 'stop-syncing');
    // The first sync starts about a minute after Establish Relationship.
    if (syncs) primary?.sync(new Date(now.getTime() + 60_000));
  }
}
