import type { UpdateMethod } from '../constants.js';
import type { StepDefinition } from '../types.js';
import { defineStep, requires } from './define-step.js';

export interface HardwareMigration {
  steps: StepDefinition[];
  software: StepDefinition;
  restore: StepDefinition;
  verify: StepDefinition;
}

/** P5: move to new hardware or a virtual appliance; every edge is the guide's HW_ORDER. */
export function hardwareMigration(method: UpdateMethod): HardwareMigration {
  const install = defineStep({
    key: 'new.install',
    appliance: 'new',
    phase: 'migration',
    title: 'Install the new appliance',
    instructions:
      'Install the new hardware B Series Appliance, or the PRA Virtual Appliance, following its installation guide.',
  });
  const backup = defineStep({
    key: 'old.backup',
    appliance: 'old',
    phase: 'migration',
    title: 'Download Backup on the current appliance',
    instructions:
      'On the current appliance: `/login > Management > Software > Download Backup`, and store the file securely.',
  });
  const certExport = defineStep({
    key: 'old.cert-export',
    appliance: 'old',
    phase: 'migration',
    title: 'Export the SSL certificate from the current appliance',
    instructions:
      '`/appliance > Security > Certificates`: select the certificate on the active IP, click *Export*, include the certificate, private key and chain, and set a passphrase on the key. Exporting does not remove it.',
  });
  const certImport = requires(
    defineStep({
      key: 'new.cert-import',
      appliance: 'new',
      phase: 'migration',
      title: 'Import the certificate on the new appliance',
      instructions:
        'On the new appliance: `/appliance > Security > Certificates > Certificate Installation > Import`.',
    }),
    { step: install.key, rule: 'HW_ORDER' },
    { step: certExport.key, rule: 'HW_ORDER' },
  );
  const certDefault = requires(
    defineStep({
      key: 'new.cert-default',
      appliance: 'new',
      phase: 'migration',
      title: 'Make the imported certificate the default',
      instructions:
        'Check that the new certificate shows no warnings, then select it in the *Default* column.',
    }),
    { step: certImport.key, rule: 'HW_ORDER' },
  );
  const software = requires(
    defineStep({
      key: 'new.software',
      appliance: 'new',
      phase: 'migration',
      software: 'site',
      install: true,
      title: 'Install the software on the new appliance',
      instructions: `\`/appliance > Updates\`: ${method === 'auto' ? '*Check for Updates*' : 'generate the *Appliance Download Key* and fetch the updates at https://btupdate.com'}, then *Install This Update* and accept the licence agreement.`,
    }),
    { step: install.key, rule: 'HW_ORDER' },
    { step: certDefault.key, rule: 'HW_ORDER' },
  );
  const restore = requires(
    defineStep({
      key: 'new.restore',
      appliance: 'new',
      verification: 'new-ready',
      phase: 'migration',
      title: 'Restore the backup on the new appliance',
      instructions:
        'Log in to `/login` (the first login is admin / password: change the password at once), then `Management > Software > Restore Settings` and upload the backup of the current appliance.',
    }),
    { step: software.key, rule: 'HW_ORDER' },
    { step: backup.key, rule: 'HW_ORDER' },
  );
  const verify = requires(
    defineStep({
      key: 'new.verify',
      appliance: 'new',
      verification: 'new-ready',
      phase: 'migration',
      title: 'Point DNS at the new appliance and test it',
      instructions: "Point the site's DNS entry at the new appliance, then test access sessions.",
    }),
    { step: restore.key, rule: 'HW_ORDER' },
  );
  const decommission = requires(
    defineStep({
      key: 'old.decommission',
      appliance: 'old',
      phase: 'migration',
      critical: true,
      title: 'Reset and return the old appliance',
      instructions:
        'Only after the new appliance works: on the old one `/appliance > Status > Basics > Reset Appliance to Factory Defaults`, wait, then *Power Down*. Ship it back with the return label (physical) or delete it (virtual).',
    }),
    { step: verify.key, rule: 'HW_ORDER' },
  );
  return {
    steps: [install, backup, certExport, certImport, certDefault, software, restore, verify, decommission],
    software,
    restore,
    verify,
  };
}
