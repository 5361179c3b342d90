import type { App } from '@slack/bolt';
import { registerClaimStep } from './actions/claim-step.js';
import { registerCompleteStep } from './actions/complete-step.js';
import { registerConfirmCheck } from './actions/confirm-check.js';
import { registerConfirmSync } from './actions/confirm-sync.js';
import { registerOpenOverrideModal } from './actions/open-override-modal.js';
import { registerOpenProblemModal } from './actions/open-problem-modal.js';
import { registerOpenResolveModal } from './actions/open-resolve-modal.js';
import { registerOpenSkipModal } from './actions/open-skip-modal.js';
import { registerSnoozeReminder } from './actions/snooze-reminder.js';
import { registerStepMenu } from './actions/step-menu.js';
import { registerUndoStep } from './actions/undo-step.js';
import { registerPraUpgradeCommand } from './commands/pra-upgrade.js';
import type { ListenerDeps } from './context.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerMemberJoinedChannel } from './events/member-joined-channel.js';
import { registerMemberLeftChannel } from './events/member-left-channel.js';
import { routingApp } from './router.js';
import { type Routes, registerCatchAll } from './unmatched.js';
import { registerOverrideReason } from './views/override-reason.js';
import { registerProblemReport } from './views/problem-report.js';
import { registerProblemResolution } from './views/problem-resolution.js';
import { registerSkipReason } from './views/skip-reason.js';

/** Every listener of the app; the manifest test checks this list against manifest.yml. */
export const REGISTERED = {
  commands: ['/pra-upgrade'],
  events: ['app_home_opened', 'member_joined_channel', 'member_left_channel'],
} as const;

/** Registers the catch-all, then every listener (behind one Bolt listener per kind), recording what they answer to for the catch-all. */
export function register(boltApp: App, deps: ListenerDeps): void {
  const routes: Routes = { actions: [], views: [], events: [], commands: [] };
  registerCatchAll(boltApp, deps, routes);
  const { app, install } = routingApp(boltApp, routes);
  registerPraUpgradeCommand(app, deps);
  registerCompleteStep(app, deps);
  registerClaimStep(app, deps);
  registerConfirmCheck(app, deps);
  registerUndoStep(app, deps);
  registerStepMenu(app, deps);
  registerOpenSkipModal(app, deps);
  registerOpenProblemModal(app, deps);
  registerOpenResolveModal(app, deps);
  registerOpenOverrideModal(app, deps);
  registerConfirmSync(app, deps);
  registerSnoozeReminder(app, deps);
  registerSkipReason(app, deps);
  registerProblemReport(app, deps);
  registerProblemResolution(app, deps);
  registerOverrideReason(app, deps);
  registerAppHomeOpened(app, deps);
  registerMemberJoinedChannel(app, deps);
  registerMemberLeftChannel(app, deps);
  install();
}
