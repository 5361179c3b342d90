// Pure Block Kit builders: database state and `now` in, Slack JSON out.

export { attemptSuffix, channelName, slug } from './channel-name.js';
export {
  channel,
  escapeKeepingTokens,
  escapeText,
  humanDuration,
  slackDate,
  truncate,
  user,
  utcFallback,
} from './format.js';
export { HELP_TEXT, helpMessage } from './help.js';
export { homeView } from './home.js';
export type { Block } from './kit.js';
export { RUNBOOK_BLOCKS_PER_MESSAGE, SLACK_LIMITS } from './limits.js';
export { type ModalView, problemReportModal, problemResolutionModal, skipReasonModal } from './modals.js';
export { noticeMessage } from './notice.js';
export { overviewMessage } from './overview.js';
export { reminderMessage, SNOOZE_LABELS } from './reminder.js';
export { createRenderer } from './renderer.js';
export { refusalMessage, replyMessage } from './replies.js';
export {
  OVERVIEW_SLOT,
  phaseGroups,
  runbookMessage,
  runbookPartNumber,
  runbookParts,
  runbookSlotName,
  runbookSlots,
} from './runbook.js';
export { stepBlocks, stepButtons } from './step-block.js';
export { completionMessage } from './summary.js';
export { topic } from './topic.js';
