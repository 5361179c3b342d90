// Tiny constructors for the Block Kit objects the bot uses; every text is cut to Slack's limit here,
// so no builder can produce a block Slack would refuse.

import { truncate } from './format.js';
import { SLACK_LIMITS } from './limits.js';

/** A Block Kit block or element as plain JSON, the shape the Renderer hands to the Web API. */
export type Block = Record<string, unknown>;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: boolean;
}

export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): Mrkdwn {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

export function header(text: string): Block {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
}

export function section(text: string, extra: { blockId?: string; accessory?: Block } = {}): Block {
  return {
    type: 'section',
    ...(extra.blockId ? { block_id: extra.blockId.slice(0, SLACK_LIMITS.blockId) } : {}),
    text: mrkdwn(text),
    ...(extra.accessory ? { accessory: extra.accessory } : {}),
  };
}

/** A two-column section; Slack takes at most ten fields. */
export function fieldsSection(fields: string[]): Block {
  return {
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.sectionFields).map((f) => mrkdwn(f, SLACK_LIMITS.fieldText)),
  };
}

export function context(texts: string[]): Block {
  return {
    type: 'context',
    elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => mrkdwn(t, SLACK_LIMITS.contextText)),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function actions(blockId: string, elements: Block[]): Block {
  return {
    type: 'actions',
    block_id: blockId.slice(0, SLACK_LIMITS.blockId),
    elements: elements.slice(0, SLACK_LIMITS.actionsElements),
  };
}

/** Block Kit's confirmation dialog, shown by Slack before a click is sent. */
export interface ConfirmSpec {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

export function confirmDialog(spec: ConfirmSpec): Block {
  return {
    title: plain(spec.title, SLACK_LIMITS.confirmTitle),
    text: plain(spec.text, SLACK_LIMITS.confirmText),
    confirm: plain(spec.confirm, SLACK_LIMITS.confirmButton),
    deny: plain(spec.deny, SLACK_LIMITS.confirmButton),
    style: 'danger',
  };
}

export interface ButtonSpec {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmSpec;
}

export interface OptionSpec {
  text: string;
  value: string;
}

/** An overflow menu ("⋯"); a choice arrives as block_actions with `selected_option.value`. */
export function overflow(actionId: string, options: OptionSpec[]): Block {
  for (const option of options) {
    if (option.value.length > SLACK_LIMITS.optionValue) {
      throw new RangeError(`option value for ${actionId} is longer than ${SLACK_LIMITS.optionValue}`);
    }
  }
  return {
    type: 'overflow',
    action_id: actionId.slice(0, SLACK_LIMITS.actionId),
    options: options.slice(0, SLACK_LIMITS.overflowOptions).map((o) => ({
      text: plain(o.text, SLACK_LIMITS.optionText),
      value: o.value,
    })),
  };
}

export function button(spec: ButtonSpec): Block {
  if (spec.value.length > SLACK_LIMITS.buttonValue) {
    // A cut value would not parse back; failing loudly beats a button that silently does nothing.
    throw new RangeError(`button value for ${spec.actionId} is longer than ${SLACK_LIMITS.buttonValue}`);
  }
  return {
    type: 'button',
    action_id: spec.actionId.slice(0, SLACK_LIMITS.actionId),
    text: plain(spec.text, SLACK_LIMITS.buttonText),
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm ? { confirm: confirmDialog(spec.confirm) } : {}),
  };
}
