import type { StepDefinition } from '../types.js';
import { defineStep } from './define-step.js';

export interface PreparationContext {
  pair: boolean;
  /** The plan installs site software (not base-only; a new appliance always gets it). */
  siteInstall: boolean;
}

/** P0: every plan starts with these; plan builders decide which later steps they gate. */
export function preparationSteps({ pair, siteInstall }: PreparationContext): StepDefinition[] {
  return [
    defineStep({
      key: 'prep.window',
      phase: 'prep',
      title: pair ? 'Schedule two maintenance windows' : 'Schedule the maintenance window',
      instructions: pair
        ? 'Pick two low-traffic windows, one per appliance. Leave enough time between them to confirm the new version works in production, and little enough to limit the time without failover. Each appliance takes about as long. Record them with `/pra-upgrade window a|b <date> <time> [zone]`.'
        : 'Pick a low-traffic time. Installation takes 15 minutes to an hour, much longer with a lot of stored data such as session recordings. Record it with `/pra-upgrade window a <date> <time> [zone]`.',
    }),
    defineStep({
      key: 'prep.announce',
      phase: 'prep',
      title: 'Tell users the site will be down',
      instructions:
        'Announce the maintenance window(s): the site is unavailable during the installation, and every logged-in user and every active session is ended.',
    }),
    defineStep({
      key: 'prep.test-env',
      phase: 'prep',
      skippable: true,
      title: 'Test the update in a controlled environment',
      instructions:
        'BeyondTrust recommends testing the update in a controlled environment before production. Skip with a reason if you cannot.',
    }),
    defineStep({
      key: 'prep.vault-key',
      phase: 'prep',
      skippable: true,
      title: 'Back up the Vault encryption key',
      instructions:
        'Newer releases leave the Vault encryption key (and session recordings) out of the configuration backup: back the key up separately and store it securely. Skip with a reason on versions without Vault.',
    }),
    defineStep({
      key: 'prep.certs',
      phase: 'prep',
      title: 'Export the SSL certificate and private key',
      instructions:
        'Export a copy of the SSL certificate and its private key (`/appliance > Security > Certificates > Export`) and keep it locally: it is the fallback if the upgrade fails.',
    }),
    defineStep({
      key: 'prep.cert-stores',
      phase: 'prep',
      skippable: !siteInstall,
      title: 'Check that all certificate stores are managed and up to date',
      instructions: !siteInstall
        ? 'Required before any site software install, or most existing Jump Clients may show offline. A base-only upgrade installs no site software: skip with a reason if you are sure.'
        : 'Required before any site software install: otherwise most existing Jump Clients may show offline after the upgrade.',
    }),
    defineStep({
      key: 'prep.msi',
      phase: 'prep',
      skippable: true,
      title: 'Download the new MSI installers (if MSI extraction is enabled)',
      instructions:
        'Only if BeyondTrust Technical Support enabled access console or Jump Client extraction: check for the update, download the new MSI before upgrading, and keep the old MSI, because only the old one can uninstall old installations. Updated clients come online once their appliance is updated. Skip with a reason otherwise.',
    }),
  ];
}
