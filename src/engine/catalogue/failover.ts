import type { SwitchMethod } from '../constants.js';
import type { StepDefinition } from '../types.js';
import { defineStep } from './define-step.js';

export function backupStep(pair: boolean): StepDefinition {
  return defineStep({
    key: 'a.backup',
    appliance: 'a',
    phase: pair ? 'break' : 'appliance-a',
    title: pair ? 'Download Backup on A' : 'Download a configuration backup',
    instructions:
      '`/login > Management > Software > Download Backup`, and store the file securely. Newer releases leave the Vault encryption key and session recordings out of it.',
  });
}

export function syncStep(): StepDefinition {
  return defineStep({
    key: 'a.sync',
    appliance: 'a',
    verification: 'sync-after-open',
    phase: 'break',
    title: 'Sync Now on A',
    instructions:
      'On A: `/login > Management > Failover > Sync Now`. Wait until the sync has completed: the Failover page shows the date and time of the last sync.',
  });
}

export function breakStep(): StepDefinition {
  return defineStep({
    key: 'a.break',
    appliance: 'a',
    verification: 'failover-off',
    phase: 'break',
    critical: true,
    title: 'Break Failover Relationship',
    instructions:
      'On A: `/login > Management > Failover > Break Failover Relationship`. From now on the pair has no failover: the bot counts the time and reminds the channel until the relationship is re-established.',
  });
}

const SWITCH_INSTRUCTIONS: Record<SwitchMethod, { title: string; text: string }> = {
  'shared-ip': {
    title: 'shared IP',
    text: 'Not supported on AWS. On A: `/appliance > Networking > IP Configuration`, untick *Enabled* on the shared IP and Save. Immediately on B: tick *Enabled* on the shared IP and Save.',
  },
  dns: {
    title: 'DNS swing',
    text: "Point the site's DNS entry at B's IP address and wait for the change to propagate.",
  },
  nat: {
    title: 'NAT swing',
    text: "Point the NAT entry for the site at B's IP address.",
  },
};

export function promoteStep(method: SwitchMethod): StepDefinition {
  const chosen = SWITCH_INSTRUCTIONS[method];
  return defineStep({
    key: 'b.promote',
    appliance: 'b',
    verification: 'b-primary',
    phase: 'switch',
    critical: true,
    title: `Make B primary (${chosen.title})`,
    instructions: `${chosen.text} All requests now go to B. If the integration client was configured by IP address, check that it now pulls from B. Sessions completed on either appliance while failover is off are synchronised after re-establishing. Do not mix the /login failover buttons with the API's set_failover_role.`,
  });
}

/** Re-establish failover from the appliance that stays (sync: A) or became (async: B) primary. */
export function establishStep(primary: 'a' | 'b'): StepDefinition {
  const [p, s] = primary === 'a' ? ['A', 'B'] : ['B', 'A'];
  return defineStep({
    key: `${primary}.establish`,
    appliance: primary,
    verification: 'roles-as-planned',
    phase: 'establish',
    critical: true,
    title: `Re-establish failover from ${p} (${p} primary, ${s} backup)`,
    instructions: `First check on both appliances: identical inter-appliance keys (\`/login > Management > Security\`), the same Product Version and Product Build, and identical SSL certificates covering each appliance's own hostname and the site hostname. Then on ${p}: \`/login > Management > Failover\`, enter ${s}'s unique IP address or hostname and TLS port under *New Backup Site Connection Details* and ${p}'s under *Reverse Connection Details*, and click *Establish Relationship*. The first sync starts after about 60 seconds (or click *Sync Now*) and takes seconds to hours; the Failover page then shows the date and time of the last sync.`,
    checks: [
      {
        id: 'keys',
        title: 'Inter-appliance keys, product version and build, and SSL certificates match',
        rule: 'KEYS_BEFORE_ESTABLISH',
        verification: 'same-version',
      },
    ],
  });
}
