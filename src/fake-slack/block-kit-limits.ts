/**
 * Block Kit limits that Slack enforces when it accepts a message or a view. The fake refuses
 * what Slack refuses, so a builder that passes against the fake does not fail in production.
 * Only limits Slack documents are checked; the rest of the schema is trusted.
 */
import { isRecord, type JsonObject, textLength } from './values.js';

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  /** Modals and the Home tab. */
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

export interface BlocksProblem {
  /** `invalid_blocks_format` when `blocks` is not an array at all, like Slack. */
  error: 'invalid_blocks' | 'invalid_blocks_format';
  /** Slack-style detail, returned in `response_metadata.messages`. */
  message: string;
}

function problem(detail: string, pointer: string): BlocksProblem {
  return { error: 'invalid_blocks', message: `[ERROR] ${detail} [json-pointer:${pointer}]` };
}

function tooLong(limit: number, pointer: string): BlocksProblem {
  return problem(`must be less than ${limit + 1} characters`, pointer);
}

/**
 * Checks a `blocks` argument. `pointer` is the JSON pointer used in messages
 * (`/blocks` for messages, `/view/blocks` for views).
 */
export function checkBlocks(
  blocks: unknown,
  maxBlocks: number,
  pointer = '/blocks',
): BlocksProblem | undefined {
  if (!Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', message: `[ERROR] must be an array [json-pointer:${pointer}]` };
  }
  if (blocks.length > maxBlocks) return problem(`must be less than ${maxBlocks + 1} items`, pointer);
  const blockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    const at = `${pointer}/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string')
      return problem('missing required field: type', at);
    const blockId = block.block_id;
    if (blockId !== undefined) {
      if (typeof blockId !== 'string') return problem('must be a string', `${at}/block_id`);
      if (blockId.length > BLOCK_KIT_LIMITS.blockId)
        return tooLong(BLOCK_KIT_LIMITS.blockId, `${at}/block_id`);
      // Slack refuses a message whose blocks share a block_id: interactions could not tell them apart.
      if (blockIds.has(blockId)) return problem(`duplicate block_id: ${blockId}`, `${at}/block_id`);
      blockIds.add(blockId);
    }
    const found = checkBlockType(block, at) ?? checkElements(block, at);
    if (found) return found;
  }
  return undefined;
}

function checkBlockType(block: JsonObject, at: string): BlocksProblem | undefined {
  switch (block.type) {
    case 'header':
      if (textLength(block.text) > BLOCK_KIT_LIMITS.headerText) {
        return tooLong(BLOCK_KIT_LIMITS.headerText, `${at}/text`);
      }
      return undefined;
    case 'section': {
      if (textLength(block.text) > BLOCK_KIT_LIMITS.sectionText) {
        return tooLong(BLOCK_KIT_LIMITS.sectionText, `${at}/text`);
      }
      const fields = block.fields;
      if (!Array.isArray(fields)) return undefined;
      if (fields.length > BLOCK_KIT_LIMITS.sectionFields) {
        return problem(`must be less than ${BLOCK_KIT_LIMITS.sectionFields + 1} items`, `${at}/fields`);
      }
      const longField = fields.findIndex((field) => textLength(field) > BLOCK_KIT_LIMITS.sectionFieldText);
      return longField >= 0
        ? tooLong(BLOCK_KIT_LIMITS.sectionFieldText, `${at}/fields/${longField}`)
        : undefined;
    }
    case 'actions': {
      const elements = block.elements;
      if (Array.isArray(elements) && elements.length > BLOCK_KIT_LIMITS.actionsElements) {
        return problem(`must be less than ${BLOCK_KIT_LIMITS.actionsElements + 1} items`, `${at}/elements`);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Walks every nested element: action_ids and buttons can sit in accessories, elements or inputs. */
function checkElements(node: unknown, at: string): BlocksProblem | undefined {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = checkElements(item, `${at}/${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(node)) return undefined;
  const actionId = node.action_id;
  if (actionId !== undefined) {
    if (typeof actionId !== 'string') return problem('must be a string', `${at}/action_id`);
    if (actionId.length > BLOCK_KIT_LIMITS.actionId)
      return tooLong(BLOCK_KIT_LIMITS.actionId, `${at}/action_id`);
  }
  if (node.type === 'button') {
    if (textLength(node.text) > BLOCK_KIT_LIMITS.buttonText) {
      return tooLong(BLOCK_KIT_LIMITS.buttonText, `${at}/text`);
    }
    if (typeof node.value === 'string' && node.value.length > BLOCK_KIT_LIMITS.buttonValue) {
      return tooLong(BLOCK_KIT_LIMITS.buttonValue, `${at}/value`);
    }
  }
  const found =
    node.type === 'overflow' ? checkOverflow(node, at) : checkConfirm(node.confirm, `${at}/confirm`);
  if (found) return found;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value !== 'object' || value === null) continue;
    const found = checkElements(value, `${at}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/** An overflow menu: one to five options, each with text and a value Slack can carry back. */
function checkOverflow(node: JsonObject, at: string): BlocksProblem | undefined {
  const options = node.options;
  if (!Array.isArray(options) || options.length === 0) return problem('missing required field: options', at);
  if (options.length > BLOCK_KIT_LIMITS.overflowOptions) {
    return problem(`must be less than ${BLOCK_KIT_LIMITS.overflowOptions + 1} items`, `${at}/options`);
  }
  for (const [index, option] of options.entries()) {
    const where = `${at}/options/${index}`;
    if (!isRecord(option)) return problem('must be an object', where);
    if (textLength(option.text) > BLOCK_KIT_LIMITS.optionText)
      return tooLong(BLOCK_KIT_LIMITS.optionText, `${where}/text`);
    if (typeof option.value === 'string' && option.value.length > BLOCK_KIT_LIMITS.optionValue) {
      return tooLong(BLOCK_KIT_LIMITS.optionValue, `${where}/value`);
    }
  }
  return checkConfirm(node.confirm, `${at}/confirm`);
}

/** A confirmation dialog's texts: title 100, text 300, its two buttons 30 each. */
function checkConfirm(confirm: unknown, at: string): BlocksProblem | undefined {
  if (!isRecord(confirm)) return undefined;
  const limits = [
    ['title', BLOCK_KIT_LIMITS.confirmTitle],
    ['text', BLOCK_KIT_LIMITS.confirmText],
    ['confirm', BLOCK_KIT_LIMITS.confirmButton],
    ['deny', BLOCK_KIT_LIMITS.confirmButton],
  ] as const;
  for (const [field, limit] of limits) {
    if (textLength(confirm[field]) > limit) return tooLong(limit, `${at}/${field}`);
  }
  return undefined;
}
