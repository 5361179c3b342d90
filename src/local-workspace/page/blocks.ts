// Block Kit → HTML for the local workspace's page: every block and element the bot emits, drawn
// the way Slack draws them. Clickable elements carry where they live (data-*), never their values:
// the server reads values from the stored message or view, so the page cannot forge a click.
import { escapeHtml, jsonAttribute } from './html.js';
import { type MrkdwnContext, mrkdwnToHtml } from './mrkdwn.js';

type Json = Record<string, unknown>;

/** Where blocks are shown; a click names it back so the server can find the element. */
export type Surface =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; channel: string; id: string }
  | { kind: 'view'; viewId: string };

export interface RenderContext extends MrkdwnContext {
  /** Errors the bot answered for a modal submission, by block_id. */
  errors?: Record<string, string>;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A link or image address Slack would follow: http(s) only, never `javascript:` or `data:`. */
function webUrl(value: unknown): string {
  const url = str(value);
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol) ? url : '';
}

/** A text object: mrkdwn rendered, plain_text escaped. */
export function textHtml(text: unknown, ctx: RenderContext): string {
  if (!isRecord(text)) return '';
  if (text.type === 'mrkdwn') return mrkdwnToHtml(str(text.text), ctx);
  return escapeHtml(str(text.text)).replace(/\n/g, '<br>');
}

function unsupported(kind: string, type: unknown): string {
  return `<div class="unsupported">Unsupported ${kind}: ${escapeHtml(String(type))}</div>`;
}

function confirmAttribute(element: Json, ctx: RenderContext): string {
  const confirm = element.confirm;
  if (!isRecord(confirm)) return '';
  const dialog = {
    title: textHtml(confirm.title, ctx),
    text: textHtml(confirm.text, ctx),
    confirm: textHtml(confirm.confirm, ctx) || 'Yes',
    deny: textHtml(confirm.deny, ctx) || 'Cancel',
    style: str(confirm.style),
  };
  return ` data-confirm="${jsonAttribute(dialog)}"`;
}

function target(surface: Surface, blockId: string, actionId: string): string {
  return ` data-click="${jsonAttribute({ surface, blockId, actionId })}"`;
}

function optionText(option: unknown, ctx: RenderContext): string {
  return isRecord(option) ? textHtml(option.text, ctx) : '';
}

/** An interactive element in an actions block or a section's accessory. */
function elementHtml(element: unknown, blockId: string, surface: Surface, ctx: RenderContext): string {
  if (!isRecord(element)) return '';
  const actionId = str(element.action_id);
  switch (element.type) {
    case 'button': {
      const style = element.style === 'primary' || element.style === 'danger' ? ` btn-${element.style}` : '';
      const link = webUrl(element.url);
      if (link) {
        return `<a class="btn${style}" href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer"${target(surface, blockId, actionId)}>${textHtml(element.text, ctx)}</a>`;
      }
      return `<button type="button" class="btn${style}"${target(surface, blockId, actionId)}${confirmAttribute(element, ctx)}>${textHtml(element.text, ctx)}</button>`;
    }
    case 'overflow': {
      const options = Array.isArray(element.options) ? element.options : [];
      const items = options
        .map((option, index) => {
          const danger = isRecord(option) && option.style === 'danger' ? ' danger' : '';
          return `<button type="button" class="overflow-item${danger}" data-option="${index}"${target(surface, blockId, actionId)}${confirmAttribute(element, ctx)}>${optionText(option, ctx)}</button>`;
        })
        .join('');
      return `<details class="overflow"><summary aria-label="More actions" title="More actions">⋯</summary><div class="overflow-menu">${items}</div></details>`;
    }
    case 'static_select': {
      const options = Array.isArray(element.options) ? element.options : [];
      const items = options
        .map((option, index) => `<option value="${index}">${optionText(option, ctx)}</option>`)
        .join('');
      return `<select class="select"${target(surface, blockId, actionId)}><option value="">${textHtml(element.placeholder, ctx) || 'Choose…'}</option>${items}</select>`;
    }
    case 'image':
      return `<img class="accessory-image" src="${escapeHtml(webUrl(element.image_url))}" alt="${escapeHtml(str(element.alt_text))}">`;
    default:
      return unsupported('element', element.type);
  }
}

function inputElementHtml(block: Json, ctx: RenderContext): string {
  const element = isRecord(block.element) ? block.element : {};
  const blockId = str(block.block_id);
  const actionId = str(element.action_id);
  const name = escapeHtml(`${blockId}/${actionId}`);
  const placeholder = element.placeholder
    ? ` placeholder="${escapeHtml(str((element.placeholder as Json).text))}"`
    : '';
  const required = block.optional === true ? '' : ' required';
  const lengths =
    (typeof element.min_length === 'number' ? ` minlength="${element.min_length}"` : '') +
    (typeof element.max_length === 'number' ? ` maxlength="${element.max_length}"` : '');
  switch (element.type) {
    case 'plain_text_input': {
      const initial = escapeHtml(str(element.initial_value));
      return element.multiline === true
        ? `<textarea name="${name}" rows="4"${placeholder}${lengths}${required} data-kind="plain_text_input">${initial}</textarea>`
        : `<input type="text" name="${name}" value="${initial}"${placeholder}${lengths}${required} data-kind="plain_text_input">`;
    }
    case 'static_select': {
      const options = (Array.isArray(element.options) ? element.options : [])
        .map((option) =>
          isRecord(option)
            ? `<option value="${escapeHtml(str(option.value))}">${optionText(option, ctx)}</option>`
            : '',
        )
        .join('');
      return `<select name="${name}"${required} data-kind="static_select"><option value="">Choose…</option>${options}</select>`;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const type = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const options = (Array.isArray(element.options) ? element.options : [])
        .map((option) =>
          isRecord(option)
            ? `<label class="choice"><input type="${type}" name="${name}" value="${escapeHtml(str(option.value))}" data-kind="${escapeHtml(String(element.type))}"> ${optionText(option, ctx)}</label>`
            : '',
        )
        .join('');
      return `<div class="choices">${options}</div>`;
    }
    case 'datepicker':
      return `<input type="date" name="${name}" value="${escapeHtml(str(element.initial_date))}"${required} data-kind="datepicker">`;
    case 'timepicker':
      return `<input type="time" name="${name}" value="${escapeHtml(str(element.initial_time))}"${required} data-kind="timepicker">`;
    default:
      return unsupported('input element', element.type);
  }
}

function blockHtml(block: unknown, surface: Surface, ctx: RenderContext): string {
  if (!isRecord(block)) return '';
  const blockId = str(block.block_id);
  const id = blockId ? ` data-block-id="${escapeHtml(blockId)}"` : '';
  switch (block.type) {
    case 'header':
      return `<h3 class="block header"${id}>${textHtml(block.text, ctx)}</h3>`;
    case 'divider':
      return `<hr class="block divider"${id}>`;
    case 'section': {
      const text = block.text ? `<div class="section-text">${textHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${block.fields.map((f) => `<div class="field">${textHtml(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="accessory">${elementHtml(block.accessory, blockId, surface, ctx)}</div>`
        : '';
      return `<div class="block section"${id}><div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const elements = (Array.isArray(block.elements) ? block.elements : [])
        .map((element) =>
          isRecord(element) && element.type === 'image'
            ? `<img class="context-image" src="${escapeHtml(webUrl(element.image_url))}" alt="${escapeHtml(str(element.alt_text))}">`
            : `<span class="context-item">${textHtml(element, ctx)}</span>`,
        )
        .join('');
      return `<div class="block context"${id}>${elements}</div>`;
    }
    case 'actions': {
      const elements = (Array.isArray(block.elements) ? block.elements : [])
        .map((element) => elementHtml(element, blockId, surface, ctx))
        .join('');
      return `<div class="block actions"${id}>${elements}</div>`;
    }
    case 'input': {
      const error = ctx.errors?.[blockId];
      const hint = block.hint ? `<div class="hint">${textHtml(block.hint, ctx)}</div>` : '';
      const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
      return (
        `<label class="block input${error ? ' has-error' : ''}"${id}><span class="input-label">${textHtml(block.label, ctx)}${optional}</span>` +
        `${inputElementHtml(block, ctx)}${hint}<span class="field-error" data-error-for="${escapeHtml(blockId)}">${error ? escapeHtml(error) : ''}</span></label>`
      );
    }
    case 'image':
      return `<figure class="block image"${id}><img src="${escapeHtml(webUrl(block.image_url))}" alt="${escapeHtml(str(block.alt_text))}">${block.title ? `<figcaption>${textHtml(block.title, ctx)}</figcaption>` : ''}</figure>`;
    default:
      return unsupported('block', block.type);
  }
}

export function blocksHtml(blocks: unknown, surface: Surface, ctx: RenderContext): string {
  return (Array.isArray(blocks) ? blocks : []).map((block) => blockHtml(block, surface, ctx)).join('');
}

/** A message body: its blocks, or its text when it has none (as Slack falls back). */
export function messageBodyHtml(
  message: { text?: string; blocks?: unknown[] },
  surface: Surface,
  ctx: RenderContext,
): string {
  if (Array.isArray(message.blocks) && message.blocks.length > 0)
    return blocksHtml(message.blocks, surface, ctx);
  return `<div class="section-text">${mrkdwnToHtml(message.text ?? '', ctx)}</div>`;
}
