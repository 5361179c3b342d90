import type { UpdateMethod } from '../constants.js';
import type { StepDefinition } from '../types.js';
import { applianceLabel, defineStep, requires } from './define-step.js';

export interface ApplianceUpdate {
  /** Every step of the update in the guide's order. */
  steps: StepDefinition[];
  /** The step that starts the update (check for updates, or generate the download key). */
  first: StepDefinition;
  /** The last installation: the site update, or the base update in a base-only upgrade. */
  lastInstall: StepDefinition;
  base: StepDefinition;
  site: StepDefinition | null;
}

/** P1 (automatic) or P2 (manual) for one appliance: base before site, a fresh backup in between. */
export function applianceUpdate(
  appliance: 'a' | 'b',
  method: UpdateMethod,
  baseOnly: boolean,
): ApplianceUpdate {
  const name = applianceLabel(appliance);
  const phase = appliance === 'a' ? 'appliance-a' : 'appliance-b';
  const key = (suffix: string) => `${appliance}.update.${suffix}`;
  const viaManual = 'through `/appliance > Updates > Manual Installation > Update Software`';

  const sourceSteps =
    method === 'auto'
      ? [
          defineStep({
            key: key('check'),
            appliance,
            phase,
            title: `Check for updates on ${name}`,
            instructions: `On ${name}: \`/appliance > Updates > Check for Updates\`. Available updates appear under *Available Updates*. If automatic updates fail unexpectedly, use the support portal; the manual method is the fallback.`,
          }),
        ]
      : [
          defineStep({
            key: key('download-key'),
            appliance,
            phase,
            title: `Generate the Appliance Download Key on ${name}`,
            instructions: `On ${name}: \`/appliance > Updates > Appliance Download Key\` generates a unique key. On an error, check the time at \`/appliance > Status > Basics\` and NTP at \`Networking > IP Configuration\`: the key depends on a correct clock.`,
          }),
          defineStep({
            key: key('fetch'),
            appliance,
            phase,
            title: `Download the updates for ${name}`,
            instructions: `On an unrestricted system, submit the key at https://btupdate.com, download the updates to removable media and carry them to a system that can reach ${name}. Install them right after downloading: a downloaded update leaves the available list, and downloading it again needs BeyondTrust Technical Support.`,
          }),
        ];

  const base = defineStep({
    key: key('base'),
    appliance,
    phase,
    software: 'base',
    install: true,
    title: `Install the base software updates on ${name}`,
    instructions: `Install every available base software update first, ${method === 'auto' ? 'with *Install This Update*' : viaManual}. Some packages need another installed first: install what is available, then the dependent one. If a base update gives problems, do not restart the appliance: contact BeyondTrust Technical Support and report the problem here.`,
  });
  const steps: StepDefinition[] = [...sourceSteps, base];
  for (let i = 1; i < steps.length; i++) {
    const previous = steps[i - 1];
    const current = steps[i];
    if (previous && current) requires(current, { step: previous.key, rule: 'PROCEDURE_ORDER' });
  }
  const first = steps[0] ?? base;
  if (baseOnly) return { steps, first, lastInstall: base, base, site: null };

  const backupAfterBase = requires(
    defineStep({
      key: key('backup-after-base'),
      appliance,
      phase,
      title: `Download a fresh backup of ${name} after the base updates`,
      instructions: `Right after the base updates, on ${name}: \`/login > Management > Software > Download Backup\`, and store it securely. Then install the site update at once, before any failover work or the other appliance.`,
    }),
    { step: base.key, rule: 'BACKUP_AFTER_BASE' },
  );
  const site = requires(
    defineStep({
      key: key('site'),
      appliance,
      verification: 'on-target-version',
      phase,
      software: 'site',
      install: true,
      title: `Install the BeyondTrust site update on ${name}`,
      instructions: `Install the BeyondTrust (site) update on ${name} right away, ${method === 'auto' ? 'with *Install This Update* under `/appliance > Updates`' : viaManual}. The site is down during the installation: logged-in users and sessions are ended.`,
    }),
    { step: base.key, rule: 'BASE_BEFORE_SITE' },
    { step: backupAfterBase.key, rule: 'BACKUP_AFTER_BASE' },
  );
  steps.push(backupAfterBase, site);
  return { steps, first, lastInstall: site, base, site };
}

/** Verify and test an appliance after its update; B is tested through a hosts file, production stays put. */
export function verifyStep(appliance: 'a' | 'b', throughHostsFile: boolean): StepDefinition {
  const name = applianceLabel(appliance);
  return defineStep({
    key: `${appliance}.verify`,
    appliance,
    verification: 'on-target-version',
    phase: appliance === 'a' ? 'appliance-a' : 'appliance-b',
    title: `Verify and test ${name}`,
    instructions: throughHostsFile
      ? `Without moving production: on at least two local machines, edit the hosts file so the site hostname points at ${name}'s IP address. Run an access console there: *Help > About* shows the new version. Connect a session to a remote system.`
      : `Log in to an access console: *Help > About* shows the new version. Start a session to a remote system.`,
  });
}
