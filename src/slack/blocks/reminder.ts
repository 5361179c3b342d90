// A due reminder, worded per time rule, with the mention the engine chose and snooze buttons.
import type { DateTime } from 'luxon';
import {
  duration,
  establishStepOf,
  type Mention,
  missingPrerequisites,
  planOf,
  type ReminderNotice,
  type ReminderRef,
  SNOOZE_DURATIONS,
  type SnoozeDuration,
} from '../../engine/index.js';
import { stepOf, titleOf } from '../../engine/state-queries.js';
import { joinWords } from '../../engine/words.js';
import type { RenderedMessage, UpgradeSnapshot } from '../../services/ports/slack.js';
import { ACTIONS } from '../action-ids.js';
import { encode } from '../values.js';
import { humanBetween, humanDuration, quoted, slackDate, truncate, user, zonedTime } from './format.js';
import { actions, type Block, button, context, section } from './kit.js';
import { applianceWords } from './labels.js';
import { SLACK_LIMITS } from './limits.js';

export const SNOOZE_LABELS: Record<SnoozeDuration, string> = {
  PT15M: 'Snooze 15 min',
  PT1H: 'Snooze 1 h',
  PT4H: 'Snooze 4 h',
  P1D: 'Snooze 1 day',
};

function mentionText(mention: Mention): string {
  switch (mention.kind) {
    case 'user':
      return `${user(mention.userId)} `;
    case 'channel':
      return '<!channel> ';
    case 'none':
      return '';
  }
}

/** Only the four fields the snooze schema takes: a stored ReminderSpec may carry more. */
function refOf(reminder: ReminderRef): ReminderRef {
  return {
    rule: reminder.rule,
    scope: reminder.scope,
    anchor: reminder.anchor,
    occurrence: reminder.occurrence,
  };
}

function stepWords(notice: ReminderNotice): string {
  return quoted(notice.stepTitle ?? notice.scope ?? 'the step');
}

function failoverGapText(snapshot: UpgradeSnapshot, notice: ReminderNotice): string {
  const plan = planOf(snapshot.state);
  const establishKey = establishStepOf(plan);
  const establish = stepOf(plan, establishKey);
  const limit = notice.limit ? ` (limit ${humanDuration(notice.limit)})` : '';
  const lead = notice.occurrence > 1 ? `*Reminder #${notice.occurrence}: failover is still off.* ` : '';
  let text = `🚨 ${lead}Failover has been off for ${humanDuration(notice.elapsed)}${limit}, since ${slackDate(notice.since)}. Re-establish it: ${establish ? quoted(establish.title) : 'the Establish Relationship step'} once both appliances are updated and verified.`;
  if (establish) {
    const missing = missingPrerequisites(snapshot.state, establish);
    if (missing.length > 0) {
      const titles = missing.slice(0, 5).map((p) => quoted(titleOf(plan, p.step)));
      text += ` Still to do before that: ${joinWords(titles)}.`;
    }
  }
  return text;
}

function windowText(snapshot: UpgradeSnapshot, notice: ReminderNotice, now: DateTime): string {
  const which = applianceWords(snapshot.plan, notice.scope ?? 'a');
  const startsAt = notice.windowStartsAt ?? notice.since;
  const zone = notice.windowZone ? ` (${zonedTime(startsAt, notice.windowZone)})` : '';
  return `🗓️ The maintenance window for ${which} opens ${slackDate(startsAt)}${zone}, in ${humanBetween(now, startsAt)}. Users will be logged out and sessions ended during the installation.`;
}

function overrunText(snapshot: UpgradeSnapshot, notice: ReminderNotice): string {
  const scope = notice.scope;
  if (scope === 'a' || scope === 'b') {
    const window = snapshot.state.windows[scope];
    const planned = window ? `, past its planned length of ${humanDuration(window.length)}` : '';
    return `⏰ The maintenance window for ${applianceWords(snapshot.plan, scope)} opened ${slackDate(notice.since)} and has run for ${humanDuration(notice.elapsed)}${planned}. Still going? Tell the channel how far it is, or report a problem.`;
  }
  return `⏰ ${stepWords(notice)} was claimed ${humanDuration(notice.elapsed)} ago (${slackDate(notice.since)}): still running? Installs usually take 15 minutes to an hour, longer with a lot of stored data such as session recordings. If it is stuck, report a problem; on a base update do not restart the appliance.`;
}

function reminderText(snapshot: UpgradeSnapshot, notice: ReminderNotice, now: DateTime): string {
  switch (notice.rule) {
    case 'FAILOVER_GAP':
      return failoverGapText(snapshot, notice);
    case 'WINDOW_START':
      return windowText(snapshot, notice, now);
    case 'WINDOW_OVERRUN':
      return overrunText(snapshot, notice);
    case 'INSTALL_AFTER_DOWNLOAD':
      return `📦 The updates for ${applianceWords(snapshot.plan, notice.scope ?? 'a')} were downloaded ${humanDuration(notice.elapsed)} ago (${slackDate(notice.since)}) and are not installed yet. Install them right after downloading: a downloaded update leaves the available list, and downloading it again needs BeyondTrust Technical Support.`;
    case 'SYNC_CONFIRM':
      return `🔄 Failover was re-established ${humanDuration(notice.elapsed)} ago (${slackDate(notice.since)}). Once the Failover page shows the date and time of the last sync, confirm it here.`;
    case 'CLIENTS_SETTLE':
      return `🧭 The site upgrade finished ${humanDuration(notice.elapsed)} ago. Hold any other upgrade work until every Jump Client is back online and none shows *Upgrade Pending*; then mark “Wait until all Jump Clients are back online” done.`;
    case 'CLAIM_STALE':
      return `🙋 ${stepWords(notice)} was claimed ${humanDuration(notice.elapsed)} ago (${slackDate(notice.since)}) and has not moved since. Still on it? Mark it done, report a problem, or let someone else take it over.`;
  }
}

function reminderButtons(snapshot: UpgradeSnapshot, notice: ReminderNotice, reminder: ReminderRef): Block[] {
  const buttons: Block[] = [];
  if (notice.rule === 'SYNC_CONFIRM') {
    buttons.push(
      button({
        actionId: ACTIONS.confirmSync,
        text: 'Sync date/time confirmed',
        value: encode({ upgradeId: snapshot.id }),
        style: 'primary',
      }),
    );
  }
  if (notice.snoozable) {
    const ref = refOf(reminder);
    for (const d of SNOOZE_DURATIONS) {
      buttons.push(
        button({
          actionId: `${ACTIONS.snoozeReminder}.${d}`,
          text: SNOOZE_LABELS[d],
          value: encode({ upgradeId: snapshot.id, duration: d, reminder: ref }),
        }),
      );
    }
  }
  return buttons;
}

export function reminderMessage(
  snapshot: UpgradeSnapshot,
  notice: ReminderNotice,
  reminder: ReminderRef,
  now: DateTime,
): RenderedMessage {
  // Words for people in the message; the rule's code once, in the small context line, for the record.
  const text = `${mentionText(notice.mention)}${reminderText(snapshot, notice, now)}`;
  const blocks: Block[] = [
    section(text, { blockId: `reminder-text:${notice.rule}:${notice.occurrence}` }),
    context([`Rule \`${notice.rule}\``]),
  ];
  const buttons = reminderButtons(snapshot, notice, reminder);
  if (buttons.length > 0) blocks.push(actions(`reminder:${notice.rule}:${notice.occurrence}`, buttons));
  return { text: truncate(text, SLACK_LIMITS.messageText), blocks };
}

/** Whether the engine capped a snooze (the failover-gap reminder never sleeps past its limit). */
export function snoozeWasCapped(rule: ReminderRef['rule'], requested: string, limit: string): boolean {
  if (rule !== 'FAILOVER_GAP') return false;
  try {
    return duration(requested).toMillis() > duration(limit).toMillis();
  } catch {
    return false;
  }
}
