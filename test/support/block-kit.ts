// One reusable check that a rendered message or view is something Slack would accept: the fake
// Slack's documented limits, plus what it does not check (text, escaping, empty blocks, modals).
import { expect } from 'vitest';
import { BLOCK_KIT_LIMITS, checkBlocks } from '../../src/fake-slack/block-kit-limits.js';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface RenderedLike {
  text?: string;
  blocks: unknown[];
  type?: string;
  title?: unknown;
  callback_id?: unknown;
  private_metadata?: unknown;
}

// Everything Slack treats as a control sequence on purpose: mentions, channels, specials, dates, links.
const TOKEN =
  /<(?:@[A-Z0-9]+|#[A-Z0-9]+(?:\|[^<>]*)?|!(?:channel|here|everyone)|!date\^[0-9]+\^[^<>|]*\|[^<>]*|https?:[^<>]*)>/g;

/** mrkdwn with every `<`, `>` and `&` either part of a Slack token or escaped. */
export function assertEscaped(text: string, where: string): void {
  const rest = text.replace(TOKEN, '');
  expect(rest, `${where}: unescaped < or > in ${JSON.stringify(text)}`).not.toMatch(/[<>]/);
  expect(rest, `${where}: bare & in ${JSON.stringify(text)}`).not.toMatch(/&(?!amp;|lt;|gt;)/);
}

function textOf(value: unknown): { type: string; text: string } | null {
  return isRecord(value) && typeof value.type === 'string' && typeof value.text === 'string'
    ? { type: value.type, text: value.text }
    : null;
}

function assertText(value: unknown, max: number, where: string, plainOnly = false): void {
  const text = textOf(value);
  expect(text, `${where}: missing text object`).not.toBeNull();
  if (!text) return;
  expect(text.text.trim().length, `${where}: empty text`).toBeGreaterThan(0);
  expect(text.text.length, `${where}: text longer than ${max}`).toBeLessThanOrEqual(max);
  if (plainOnly) expect(text.type, `${where}: must be plain_text`).toBe('plain_text');
  if (text.type === 'mrkdwn') assertEscaped(text.text, where);
}

/** Block Kit's confirm object: plain-text title (100), text (300), confirm and deny (30 each). */
function assertConfirm(confirm: unknown, where: string): void {
  if (confirm === undefined) return;
  expect(isRecord(confirm), `${where}: confirm object`).toBe(true);
  if (!isRecord(confirm)) return;
  assertText(confirm.title, 100, `${where}/title`, true);
  assertText(confirm.text, 300, `${where}/text`);
  assertText(confirm.confirm, 30, `${where}/confirm`, true);
  assertText(confirm.deny, 30, `${where}/deny`, true);
  expect([undefined, 'primary', 'danger'], `${where}: style`).toContain(confirm.style);
}

function assertButton(element: Json, where: string): void {
  assertText(element.text, BLOCK_KIT_LIMITS.buttonText, `${where}/text`, true);
  expect(typeof element.action_id, `${where}: action_id`).toBe('string');
  expect(String(element.action_id).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.actionId);
  expect(typeof element.value, `${where}: value`).toBe('string');
  expect(String(element.value).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.buttonValue);
  expect([undefined, 'primary', 'danger'], `${where}: style`).toContain(element.style);
  assertConfirm(element.confirm, `${where}/confirm`);
}

/** An overflow menu: two to five options, each plain text (75) with a value (150). */
function assertOverflow(element: Json, where: string): void {
  expect(typeof element.action_id, `${where}: action_id`).toBe('string');
  const options = Array.isArray(element.options) ? element.options : [];
  expect(options.length, `${where}: overflow options`).toBeGreaterThanOrEqual(2);
  expect(options.length, `${where}: overflow options`).toBeLessThanOrEqual(5);
  options.forEach((option, i) => {
    expect(isRecord(option)).toBe(true);
    if (!isRecord(option)) return;
    assertText(option.text, 75, `${where}/options/${i}/text`, true);
    expect(typeof option.value, `${where}/options/${i}: value`).toBe('string');
    expect(String(option.value).length).toBeLessThanOrEqual(150);
  });
  assertConfirm(element.confirm, `${where}/confirm`);
}

function assertElement(element: unknown, where: string): void {
  expect(isRecord(element), `${where}: element`).toBe(true);
  if (!isRecord(element)) return;
  if (element.type === 'button') assertButton(element, where);
  else if (element.type === 'overflow') assertOverflow(element, where);
  else throw new Error(`${where}: unexpected element type ${String(element.type)}`);
}

function assertBlock(block: Json, where: string): void {
  switch (block.type) {
    case 'header':
      assertText(block.text, BLOCK_KIT_LIMITS.headerText, `${where}/text`, true);
      break;
    case 'section': {
      const fields = block.fields;
      expect(block.text !== undefined || Array.isArray(fields), `${where}: section without text`).toBe(true);
      if (block.text !== undefined) assertText(block.text, BLOCK_KIT_LIMITS.sectionText, `${where}/text`);
      if (Array.isArray(fields)) {
        expect(fields.length).toBeGreaterThan(0);
        expect(fields.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.sectionFields);
        fields.forEach((f, i) => {
          assertText(f, BLOCK_KIT_LIMITS.sectionFieldText, `${where}/fields/${i}`);
        });
      }
      if (block.accessory !== undefined) assertElement(block.accessory, `${where}/accessory`);
      break;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      expect(elements.length, `${where}: context elements`).toBeGreaterThan(0);
      expect(elements.length).toBeLessThanOrEqual(10);
      elements.forEach((e, i) => {
        assertText(e, 3000, `${where}/elements/${i}`);
      });
      break;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      expect(elements.length, `${where}: empty actions block`).toBeGreaterThan(0);
      expect(elements.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.actionsElements);
      const ids = elements.map((e) => (isRecord(e) ? e.action_id : undefined));
      expect(new Set(ids).size, `${where}: duplicate action_id in ${JSON.stringify(ids)}`).toBe(ids.length);
      elements.forEach((e, i) => {
        assertElement(e, `${where}/elements/${i}`);
      });
      break;
    }
    case 'divider':
      break;
    case 'input':
      expect(isRecord(block.element), `${where}: input element`).toBe(true);
      assertText(block.label, 2000, `${where}/label`, true);
      break;
    default:
      throw new Error(`${where}: unexpected block type ${String(block.type)}`);
  }
}

/** Fails the test unless Slack would accept `rendered` (a message, the Home view or a modal). */
export function assertWithinSlackLimits(rendered: RenderedLike): void {
  const view = rendered.type === 'home' || rendered.type === 'modal';
  const max = view ? BLOCK_KIT_LIMITS.viewBlocks : BLOCK_KIT_LIMITS.messageBlocks;
  expect(checkBlocks(rendered.blocks, max)).toBeUndefined();
  expect(rendered.blocks.length, 'no blocks').toBeGreaterThan(0);
  rendered.blocks.forEach((block, i) => {
    expect(isRecord(block)).toBe(true);
    if (isRecord(block)) assertBlock(block, `/blocks/${i}`);
  });
  if (!view) {
    expect(typeof rendered.text).toBe('string');
    const text = rendered.text ?? '';
    expect(text.trim().length, 'empty fallback text').toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(4000);
    assertEscaped(text, 'text');
  }
  if (rendered.type === 'modal') {
    assertText(rendered.title, 24, 'title', true);
    expect(typeof rendered.callback_id).toBe('string');
    expect(String(rendered.private_metadata).length).toBeLessThanOrEqual(3000);
  }
}

/** Every button anywhere in the blocks (actions elements and section accessories). */
export function buttonsOf(blocks: unknown[]): Json[] {
  const found: Json[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) {
      if (node.type === 'button') found.push(node);
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    }
  };
  walk(blocks);
  return found;
}

/** Every overflow menu anywhere in the blocks. */
export function overflowsOf(blocks: unknown[]): Json[] {
  const found: Json[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) {
      if (node.type === 'overflow') found.push(node);
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    }
  };
  walk(blocks);
  return found;
}

/** All mrkdwn and plain text in the blocks, joined: for "does it say X" assertions. */
export function allText(rendered: RenderedLike): string {
  const texts: string[] = [rendered.text ?? ''];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) {
      if (typeof node.text === 'string') texts.push(node.text);
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    }
  };
  walk(rendered.blocks);
  return texts.join('\n');
}

export function blockRecords(blocks: unknown[]): Json[] {
  return blocks.filter(isRecord);
}

/** The label of a button, or undefined when there is no such button. */
export function buttonText(button: Json | undefined): string | undefined {
  const text = button?.text;
  return isRecord(text) && typeof text.text === 'string' ? text.text : undefined;
}
