import type { OrderingRule, TimeRule } from './constants.js';

/** What each rule protects, in the words used in refusals, reminders, `help` and the README. */
export const ORDERING_RULE_DESCRIPTIONS: Record<OrderingRule, string> = {
  BACKUP_FIRST:
    'A backup of the appliance (and of the Vault key and SSL certificate) is downloaded before failover is broken and before any install on it.',
  SYNC_BEFORE_BREAK: 'Sync Now has completed before Break Failover Relationship.',
  BASE_BEFORE_SITE: 'On each appliance, base software updates are installed before the site update.',
  BACKUP_AFTER_BASE:
    'After the base updates, a fresh backup, then the site update at once, before failover work or the other appliance.',
  CERT_STORES_BEFORE_SITE:
    'Certificate stores are checked before any site software install, or most Jump Clients may show offline.',
  FIRST_APPLIANCE:
    'sync: A is updated and verified before B is touched; async: B is updated and verified before the role switch, and the switch happens before A is updated.',
  VERIFY_BEFORE_NEXT: 'Each appliance is verified before work moves on.',
  KEYS_BEFORE_ESTABLISH: 'Identical inter-appliance keys are confirmed before Establish Relationship.',
  BOTH_BEFORE_ESTABLISH: 'Both appliances are updated and verified before failover is re-established.',
  HW_ORDER:
    'New hardware: export before import, software before restore, the new appliance verified before the old one is reset.',
  PROCEDURE_ORDER: "The guide's own sequence: each step follows the one it builds on.",
};

export const TIME_RULE_DESCRIPTIONS: Record<TimeRule, string> = {
  FAILOVER_GAP:
    'From the break until the relationship is re-established the pair has no failover: the channel is reminded once this runs past the limit, and again (escalating) until it is closed.',
  WINDOW_START: 'A reminder before each maintenance window opens (a day and 15 minutes before).',
  WINDOW_OVERRUN: 'A warning when a maintenance window or an install runs past its expected length.',
  INSTALL_AFTER_DOWNLOAD: 'Manual updates: a reminder when a downloaded update has not been installed soon.',
  SYNC_CONFIRM:
    'About 60 seconds after Establish Relationship: someone confirms the date and time of the first sync.',
  CLIENTS_SETTLE: 'After a site upgrade: hold other upgrade work until the Jump Clients are back online.',
  CLAIM_STALE: 'A step someone claimed and left untouched for long.',
};

/**
 * Why each ordering rule holds, as the end of a refusal sentence ("… must be done first: <reason>").
 * People read these words; the rule's code goes to the record and a small context line only.
 */
export const ORDERING_RULE_REASONS: Record<OrderingRule, string> = {
  BACKUP_FIRST:
    'nothing is broken or installed without a fresh backup (with the Vault key and SSL certificate) to go back to',
  SYNC_BEFORE_BREAK: 'failover is never broken without a fresh sync',
  BASE_BEFORE_SITE: 'the base software updates go on before the site update',
  BACKUP_AFTER_BASE: 'after the base updates comes a fresh backup, then the site update at once',
  CERT_STORES_BEFORE_SITE:
    'a site install on unchecked certificate stores can leave most Jump Clients offline',
  FIRST_APPLIANCE:
    'the first appliance is updated and verified (in the async plan also made primary) before the other is touched',
  VERIFY_BEFORE_NEXT: 'each appliance is verified before work moves on',
  KEYS_BEFORE_ESTABLISH:
    'failover is only re-established between appliances with identical inter-appliance keys',
  BOTH_BEFORE_ESTABLISH: 'failover is only re-established once both appliances are updated and verified',
  HW_ORDER:
    'the new hardware is set up in order (export, import, software, restore) and verified before the old one is reset',
  PROCEDURE_ORDER: "that is the guide's order: each step follows the one it builds on",
};
