// Modals the listeners open: a reason for skipping, a problem report, a problem's resolution.
// Titles are at most 24 characters; what the modal is about travels in private_metadata.
import { TEXT_LIMITS } from '../../engine/bounds.js';
import { BASE_PROBLEM_GUIDANCE } from '../../engine/index.js';
import { FIELDS, VIEWS } from '../action-ids.js';
import { encode, type ModalMetadata } from '../values.js';
import { escapeText, quoted, truncate } from './format.js';
import { type Block, plain, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';

export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: { type: 'plain_text'; text: string; emoji: boolean };
  submit: { type: 'plain_text'; text: string; emoji: boolean };
  close: { type: 'plain_text'; text: string; emoji: boolean };
  private_metadata: string;
  blocks: Block[];
}

function modal(
  callbackId: string,
  title: string,
  submit: string,
  meta: ModalMetadata,
  blocks: Block[],
): ModalView {
  const metadata = encode(meta);
  if (metadata.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata of ${callbackId} is longer than ${SLACK_LIMITS.privateMetadata}`);
  }
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, SLACK_LIMITS.modalTitle),
    submit: plain(submit, SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    private_metadata: metadata,
    blocks,
  };
}

function input(
  field: { block: string; action: string },
  label: string,
  options: { multiline: boolean; placeholder: string; maxLength: number },
): Block {
  return {
    type: 'input',
    block_id: field.block,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input',
      action_id: field.action,
      multiline: options.multiline,
      min_length: 3,
      max_length: options.maxLength,
      placeholder: plain(options.placeholder, 150),
    },
  };
}

export function skipReasonModal(meta: ModalMetadata, stepTitle: string): ModalView {
  return modal(VIEWS.skipReason, 'Skip a step', 'Skip step', meta, [
    section(
      `Skipping ${quoted(truncate(stepTitle, 300))}. The reason is kept in the channel and the audit log.`,
    ),
    input(FIELDS.reason, 'Why is this step skipped?', {
      multiline: false,
      placeholder: 'e.g. no Vault on this version',
      maxLength: TEXT_LIMITS.reason,
    }),
  ]);
}

export function overrideReasonModal(meta: ModalMetadata, stepTitle: string): ModalView {
  return modal(VIEWS.overrideReason, 'Confirm anyway', 'Confirm', meta, [
    section(
      `The appliance could not be asked about ${quoted(truncate(stepTitle, 300))}. The bot asks it once more when you confirm; if it still cannot be reached, your confirmation counts with this reason, which is shown on the step, in the summary and in the audit log. An appliance that answers and disagrees is never overruled.`,
    ),
    input(FIELDS.reason, 'How did you check it instead?', {
      multiline: true,
      placeholder: 'e.g. Help > About on B shows 24.1.2 (5123); the API account is being re-created',
      // The submission is checked against the same limit: Slack never lets through what the bot refuses.
      maxLength: TEXT_LIMITS.reason,
    }),
  ]);
}

export function problemReportModal(meta: ModalMetadata, stepTitle: string, isBaseStep: boolean): ModalView {
  const blocks: Block[] = [];
  if (isBaseStep) {
    // The guide is explicit: on a base-update problem, no restart; support decides.
    blocks.push(section(`🛑 *${escapeText(BASE_PROBLEM_GUIDANCE)}*`, { blockId: 'guidance' }));
  }
  blocks.push(
    section(`Problem with ${quoted(truncate(stepTitle, 300))}. The channel is told at once.`),
    input(FIELDS.description, 'What went wrong?', {
      multiline: true,
      placeholder: 'What you saw, any error message, what you tried',
      maxLength: TEXT_LIMITS.description,
    }),
  );
  return modal(VIEWS.problemReport, 'Report a problem', 'Report', meta, blocks);
}

export function problemResolutionModal(meta: ModalMetadata, problemDescription: string): ModalView {
  return modal(VIEWS.problemResolution, 'Problem resolved', 'Save', meta, [
    section(`*The problem:*\n${escapeText(truncate(problemDescription, 2500))}`),
    input(FIELDS.resolution, 'How was it resolved?', {
      multiline: true,
      placeholder: 'e.g. Support installed the dependent package; the update finished',
      maxLength: TEXT_LIMITS.resolution,
    }),
  ]);
}
