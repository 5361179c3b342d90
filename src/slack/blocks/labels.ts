// Words for the engine's names (phases, methods, statuses, options), so every builder says the same.
import type {
  Phase,
  Plan,
  PlanName,
  PlanOptionName,
  SwitchMethod,
  TimeRule,
  UpdateMethod,
  UpgradeStatus,
} from '../../engine/index.js';
import { isPairPlan } from '../../engine/index.js';

export function phaseTitle(plan: Plan, phase: Phase): string {
  const pair = isPairPlan(plan.name);
  switch (phase) {
    case 'prep':
      return 'Preparation';
    case 'break':
      return 'Backup and break failover';
    case 'appliance-a':
      // Single-appliance plans have only "A"; calling it that would suggest a B exists.
      return pair ? 'Appliance A' : 'The appliance';
    case 'appliance-b':
      return 'Appliance B';
    case 'switch':
      return 'Make B primary';
    case 'establish':
      return 'Re-establish failover';
    case 'migration':
      return 'New hardware';
    case 'clients':
      return 'Clients after the site upgrade';
  }
}

export function methodLabel(method: UpdateMethod): string {
  return method === 'auto' ? 'automatic' : 'manual (download key)';
}

export function switchLabel(method: SwitchMethod): string {
  switch (method) {
    case 'shared-ip':
      return 'shared IP';
    case 'dns':
      return 'DNS swing';
    case 'nat':
      return 'NAT swing';
  }
}

export function statusLabel(status: UpgradeStatus): string {
  return status === 'blocked' ? 'on hold' : status;
}

export function statusEmoji(status: UpgradeStatus): string {
  switch (status) {
    case 'active':
      return '🟢';
    case 'blocked':
      return '⏸️';
    case 'completed':
      return '🏁';
    case 'aborted':
      return '🛑';
  }
}

export function optionLabel(option: PlanOptionName): string {
  switch (option) {
    case 'method-a':
      return 'the update method of A';
    case 'method-b':
      return 'the update method of B';
    case 'switch':
      return 'the way B becomes primary';
    case 'base-only':
      return 'base-only';
  }
}

/** Which appliance a window or an update is for, in words that fit the plan. */
export function applianceWords(plan: PlanName, appliance: string): string {
  if (isPairPlan(plan) && (appliance === 'a' || appliance === 'b'))
    return `appliance ${appliance.toUpperCase()}`;
  if (appliance === 'old') return 'the current appliance';
  if (appliance === 'new') return 'the new appliance';
  return 'the appliance';
}

/** Short labels for check buttons (75-character limit); the section shows the full check title. */
const CHECK_BUTTON_LABELS: Record<string, string> = {
  keys: 'Keys, version & certs match',
};

export function checkButtonLabel(check: { id: string; title: string }): string {
  return CHECK_BUTTON_LABELS[check.id] ?? check.title;
}

/** Reminders by what they are about, for people; the rule's code stays in the context line and the log. */
export function reminderLabel(rule: TimeRule): string {
  switch (rule) {
    case 'FAILOVER_GAP':
      return 'failover-off';
    case 'WINDOW_START':
      return 'maintenance-window';
    case 'WINDOW_OVERRUN':
      return 'overrun';
    case 'INSTALL_AFTER_DOWNLOAD':
      return 'install-the-download';
    case 'SYNC_CONFIRM':
      return 'first-sync';
    case 'CLIENTS_SETTLE':
      return 'Jump Clients';
    case 'CLAIM_STALE':
      return 'still-on-it';
  }
}
