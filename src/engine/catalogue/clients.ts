import type { StepDefinition } from '../types.js';
import { defineStep, requires } from './define-step.js';

/** P6: what follows a site upgrade; items a deployment does not have can be skipped with a reason. */
export function clientSteps(): StepDefinition[] {
  const jump = defineStep({
    key: 'clients.jump',
    phase: 'clients',
    skippable: true,
    title: 'Jump Clients: let them update, in batches',
    instructions:
      'Jump Clients update themselves. Many at once can overload the appliance and the network: limit it at `/login > Jump > Jump Clients > Maximum Number of Concurrent Jump Client Upgrades`. Active ones check in right after the upgrade; passive ones at start-up, on console connection, from the tray icon and at least every 24 hours. Outdated ones show *Upgrade Pending*; jumping to one moves it to the front of the queue.',
  });
  return [
    defineStep({
      key: 'clients.consoles',
      phase: 'clients',
      title: 'Access consoles',
      instructions:
        'Access consoles update at their next start. Consoles deployed with MSI on locked-down machines may need to be redeployed.',
    }),
    jump,
    defineStep({
      key: 'clients.jumpoints',
      phase: 'clients',
      verification: 'jumpoints-connected',
      skippable: true,
      title: 'Jumpoints: check they are back',
      instructions: 'Jumpoints update themselves. Check that every Jumpoint is back online.',
    }),
    defineStep({
      key: 'clients.agents',
      phase: 'clients',
      skippable: true,
      title: 'Connection agents',
      instructions: 'Connection agents update themselves. Check that they are connected again.',
    }),
    defineStep({
      key: 'clients.integration',
      phase: 'clients',
      skippable: true,
      title: 'Reinstall integration clients by hand',
      instructions:
        'Integration clients do not update themselves: reinstall them with the installers from the Downloads page of the support portal.',
    }),
    defineStep({
      key: 'clients.installers',
      phase: 'clients',
      skippable: true,
      title: 'Regenerate installer packages',
      instructions:
        'Regenerate every installer package made earlier for Jump Clients and access consoles: the old ones stop working once the appliance they were made on is updated.',
    }),
    requires(
      defineStep({
        key: 'clients.settle',
        phase: 'clients',
        verification: 'jump-clients-updated',
        title: 'Wait until all Jump Clients are back online',
        instructions:
          'Hold any other upgrade work until every Jump Client is back online and none shows *Upgrade Pending*.',
      }),
      { step: jump.key, rule: 'PROCEDURE_ORDER' },
    ),
  ];
}
