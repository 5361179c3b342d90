// The page's script and style sheet, served by the process itself (no CDN, no build step).

export const PAGE_SCRIPT = `
const body = document.body;
let state = JSON.parse(body.dataset.state);
const $ = (id) => document.getElementById(id);

function query() {
  return '?as=' + encodeURIComponent(state.as) + '&c=' + encodeURIComponent(state.channel) + '&tab=' + state.tab;
}

function flash(text, kind) {
  const el = $('flash');
  el.textContent = text || '';
  el.className = 'flash' + (kind ? ' ' + kind : '');
  if (text) setTimeout(() => { if (el.textContent === text) el.textContent = ''; }, 6000);
}

async function post(path, payload) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: state.as, ...payload }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    flash(answer.error || ('Failed: HTTP ' + response.status), 'error');
    throw new Error(answer.error || 'failed');
  }
  return answer;
}

// What each container shows now: unchanged fragments are left alone, so nothing flickers.
const shown = {};
function put(id, html) {
  if (shown[id] === html) return;
  shown[id] = html;
  $(id).innerHTML = html;
}

let refreshing = null;
let again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      again = false;
      const response = await fetch('/local/fragments' + query());
      if (!response.ok) { flash('Could not load the page: HTTP ' + response.status, 'error'); break; }
      const f = await response.json();
      put('topbar', f.topbar);
      put('sidebar', f.sidebar);
      if (shown.main !== f.main) {
        const messages = $('messages');
        const atBottom = !messages || messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
        const scrollTop = messages ? messages.scrollTop : 0;
        const openMenus = new Set([...document.querySelectorAll('#main details[open]')].map(menuKey));
        put('main', f.main);
        document.querySelectorAll('#main details').forEach((d) => { if (openMenus.has(menuKey(d))) d.open = true; });
        const fresh = $('messages');
        if (fresh) fresh.scrollTop = atBottom ? fresh.scrollHeight : scrollTop;
        if (justOpened) position();
        justOpened = false;
        revealNewNote();
      }
      put('panel', f.panel);
      if (body.dataset.modalKey !== f.modalKey) {
        $('modal-root').innerHTML = f.modal;
        body.dataset.modalKey = f.modalKey;
        const first = document.querySelector('#modal-root input, #modal-root textarea, #modal-root select');
        if (first) first.focus();
      }
      const composer = $('composer');
      composer.hidden = !f.composer.enabled;
      $('composer-input').placeholder = f.composer.placeholder;
      document.title = f.title;
    } while (again);
  })().finally(() => { refreshing = null; });
  return refreshing;
}

// A channel opens at its pinned overview (an upgrade channel's start), else at its newest message.
let justOpened = false;
function position() {
  const list = $('messages');
  if (!list) return;
  const pinned = list.querySelector('.message.is-pinned');
  if (pinned) list.scrollTop += pinned.getBoundingClientRect().top - list.getBoundingClientRect().top;
  else list.scrollTop = list.scrollHeight;
}

// A reply only this person sees lands at the bottom, as in Slack; bring it into view so a refusal
// after a click halfway up the runbook is not missed.
let seenNote = null;
function revealNewNote() {
  const notes = document.querySelectorAll('#main .message.ephemeral');
  const last = notes[notes.length - 1];
  const id = last ? state.channel + '/' + last.dataset.note : null;
  if (id && seenNote !== null && id !== seenNote) last.scrollIntoView({ block: 'nearest' });
  seenNote = id || seenNote || '';
}

function menuKey(details) {
  const button = details.querySelector('[data-click]');
  return button ? button.dataset.click : '';
}

function go(changes) {
  state = { ...state, ...changes };
  seenNote = null;
  justOpened = Boolean(changes.channel);
  history.replaceState(null, '', query());
  body.dataset.modalKey = '';
  refresh().then(() => {
    if (state.channel === 'home') post('/local/home', {}).catch(() => {});
  });
}

const confirmDialog = $('confirm-dialog');
function confirmFirst(el) {
  if (!el.dataset.confirm) return Promise.resolve(true);
  const c = JSON.parse(el.dataset.confirm);
  confirmDialog.querySelector('[data-confirm-title]').innerHTML = c.title;
  confirmDialog.querySelector('[data-confirm-text]').innerHTML = c.text;
  confirmDialog.querySelector('[data-confirm-ok]').innerHTML = c.confirm;
  confirmDialog.querySelector('[data-confirm-ok]').className = 'btn ' + (c.style === 'danger' ? 'btn-danger' : 'btn-primary');
  confirmDialog.querySelector('[data-confirm-deny]').innerHTML = c.deny;
  confirmDialog.returnValue = '';
  confirmDialog.showModal();
  return new Promise((resolve) => confirmDialog.addEventListener('close', () => resolve(confirmDialog.returnValue === 'ok'), { once: true }));
}

document.addEventListener('click', async (event) => {
  const el = event.target.closest('[data-person],[data-channel],[data-tab],[data-clock],[data-membership],[data-click],[data-close-view],[data-help],[data-service]');
  if (!el || el.tagName === 'SELECT') return;
  if (el.dataset.person) { event.preventDefault(); go({ as: el.dataset.person }); return; }
  if (el.dataset.channel) { event.preventDefault(); go({ channel: el.dataset.channel, tab: 'messages' }); return; }
  if (el.dataset.tab) { go({ tab: el.dataset.tab }); return; }
  if (el.dataset.service) {
    const answer = await post(el.dataset.service, JSON.parse(el.dataset.body || '{}')).catch(() => null);
    if (answer && answer.message) flash(answer.message);
    return;
  }
  if (el.dataset.clock) {
    const answer = await post('/local/clock', { step: el.dataset.clock }).catch(() => null);
    if (answer && answer.message) flash(answer.message);
    return;
  }
  if (el.dataset.membership) { await post('/local/membership', { op: el.dataset.membership, channel: state.channel }).catch(() => {}); return; }
  if (el.hasAttribute('data-close-view')) {
    const form = el.closest('[data-view]');
    await post('/local/view/close', { viewId: form.dataset.view }).catch(() => {});
    return;
  }
  if (el.hasAttribute('data-help')) { await post('/local/command', { channel: state.channel, text: '/pra-upgrade help' }).catch(() => {}); return; }
  if (el.dataset.click) {
    if (el.tagName === 'A' && el.getAttribute('href')) { /* link buttons open their URL and tell the bot */ } else event.preventDefault();
    if (!(await confirmFirst(el))) return;
    const click = JSON.parse(el.dataset.click);
    if (el.dataset.option !== undefined) click.option = Number(el.dataset.option);
    const menu = el.closest('details');
    if (menu) menu.open = false;
    el.disabled = true;
    await post('/local/click', { click }).catch(() => {});
    el.disabled = false;
  }
});

document.addEventListener('change', async (event) => {
  const el = event.target;
  if (el.tagName === 'SELECT' && el.dataset.click && el.value !== '') {
    const click = JSON.parse(el.dataset.click);
    click.option = Number(el.value);
    await post('/local/click', { click }).catch(() => {});
  }
});

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (form.getAttribute('method') === 'dialog') return; // the confirm dialog closes itself
  event.preventDefault();
  if (form.dataset.form === 'command') {
    const input = $('composer-input');
    const text = input.value.trim();
    if (!text) return;
    const answer = await post('/local/command', { channel: state.channel, text }).catch(() => null);
    if (answer) input.value = '';
    return;
  }
  if (form.dataset.form === 'invite') {
    await post('/local/membership', { op: 'invite', channel: state.channel, user: form.elements.user.value }).catch(() => {});
    return;
  }
  if (form.dataset.form === 'view') {
    const values = {};
    for (const field of form.querySelectorAll('[name]')) {
      const [block, action] = field.name.split('/');
      values[block] = values[block] || {};
      if (field.type === 'checkbox') {
        values[block][action] = values[block][action] || [];
        if (field.checked) values[block][action].push(field.value);
      } else if (field.type === 'radio') {
        if (field.checked) values[block][action] = field.value;
      } else values[block][action] = field.value;
    }
    form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
    const answer = await post('/local/view/submit', { viewId: form.dataset.view, values }).catch(() => null);
    if (answer && answer.errors) {
      for (const [block, text] of Object.entries(answer.errors)) {
        const slot = form.querySelector('[data-error-for="' + CSS.escape(block) + '"]');
        if (slot) { slot.textContent = text; slot.closest('.input').classList.add('has-error'); }
      }
    }
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && document.querySelector('#modal-root [data-view]') && !confirmDialog.open) {
    document.querySelector('#modal-root [data-close-view]').click();
  }
});

function listen() {
  const source = new EventSource('/local/stream');
  source.addEventListener('change', () => refresh());
  source.addEventListener('open', () => refresh());
}

listen();
if (state.channel === 'home') post('/local/home', {}).catch(() => {});
position();
revealNewNote();
`;

export const PAGE_STYLE = `
:root { --bg: #f8f8f8; --side: #3f0e40; --side-text: #e8dfe8; --line: #e2e2e2; --text: #1d1c1d; --muted: #616061;
  --primary: #007a5a; --danger: #e01e5a; --link: #1264a3; --eph: #f4f9ff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: white; font-size: 15px; height: 100vh; display: flex; flex-direction: column; }
.topbar { display: flex; align-items: center; gap: 16px; padding: 8px 14px; background: #350d36; color: white; flex-wrap: wrap; }
.brand { font-weight: 700; }
.tag { font-weight: 400; font-size: 12px; background: #ffffff22; padding: 2px 6px; border-radius: 8px; }
.people { display: flex; gap: 6px; }
.person { display: grid; grid-template-columns: auto auto; grid-template-rows: auto auto; column-gap: 6px; align-items: center; background: #ffffff14; color: white; border: 2px solid transparent; border-radius: 8px; padding: 3px 8px 3px 4px; cursor: pointer; text-align: left; }
.person.current { border-color: #ecb22e; background: #ffffff2a; }
.avatar { grid-row: span 2; width: 28px; height: 28px; border-radius: 6px; background: #1264a3; display: grid; place-items: center; font-weight: 700; }
.person-name { font-size: 13px; font-weight: 600; }
.person-zone { font-size: 11px; opacity: .8; }
.you { font-size: 14px; }
.you .muted, .clock .muted { color: #d8c8d8; }
.clock { margin-left: auto; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; background: #ffffff14; border-radius: 8px; padding: 4px 8px; }
.clock-label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; opacity: .85; }
.clock-buttons { display: flex; gap: 4px; }
.layout { flex: 1; display: grid; grid-template-columns: 250px 1fr 260px; min-height: 0; }
.sidebar { background: var(--side); color: var(--side-text); padding: 10px 0; overflow-y: auto; }
.sidebar-title { padding: 14px 16px 4px; font-size: 13px; opacity: .75; }
.channel { display: flex; align-items: center; gap: 4px; color: var(--side-text); text-decoration: none; padding: 5px 16px; font-size: 14px; word-break: break-all; }
.channel:hover { background: #ffffff14; }
.channel.current { background: #1164a3; color: white; }
.channel.not-member { opacity: .6; font-style: italic; }
.channel .hash { opacity: .7; }
.channel .count { margin-left: auto; font-size: 11px; opacity: .7; }
.center { display: flex; flex-direction: column; min-height: 0; min-width: 0; border-right: 1px solid var(--line); }
.main { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.channel-head { padding: 10px 18px 0; border-bottom: 1px solid var(--line); }
.channel-head h2 { margin: 0 0 4px; font-size: 18px; word-break: break-all; }
.topic { color: var(--muted); font-size: 13px; margin-bottom: 6px; }
.members { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; font-size: 13px; margin-bottom: 6px; }
.members-label { color: var(--muted); }
.member { background: #f0f0f0; border-radius: 10px; padding: 1px 8px; }
.invite { display: inline-flex; gap: 4px; }
.tabs { display: flex; gap: 4px; }
.tab { border: none; background: none; padding: 6px 10px; cursor: pointer; border-bottom: 2px solid transparent; font-size: 14px; }
.tab.current { border-color: var(--primary); font-weight: 600; }
.messages, .home, .audit { flex: 1; overflow-y: auto; padding: 8px 18px 18px; }
.message { padding: 8px 10px; border-radius: 6px; margin: 4px 0; }
.message:hover { background: #f8f8f8; }
.message.is-pinned { background: #fef9ec; }
.message.ephemeral { background: var(--eph); border-left: 3px solid var(--link); }
.message-meta { display: flex; align-items: baseline; gap: 8px; margin-bottom: 2px; }
.author { font-weight: 700; }
.app-badge { font-size: 10px; background: #ddd; border-radius: 3px; padding: 0 4px; color: #444; }
.message-time, .edited, .only-you { color: var(--muted); font-size: 12px; }
.pinned { font-size: 12px; color: #8a6d00; }
.block { margin: 6px 0; }
.header { font-size: 17px; margin: 10px 0 4px; }
.divider { border: none; border-top: 1px solid var(--line); }
.section { display: flex; gap: 12px; align-items: flex-start; }
.section-body { flex: 1; min-width: 0; line-height: 1.45; }
.section-text { white-space: normal; word-wrap: break-word; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; margin-top: 4px; }
.context { display: flex; gap: 8px; flex-wrap: wrap; color: var(--muted); font-size: 13px; align-items: center; }
.context-image { width: 16px; height: 16px; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.btn { border: 1px solid #bbb; background: white; color: var(--text); border-radius: 5px; padding: 4px 12px; font-size: 14px; font-weight: 600; cursor: pointer; text-decoration: none; display: inline-block; }
.btn:hover { background: #f4f4f4; }
.btn:disabled { opacity: .5; cursor: wait; }
.btn-primary { background: var(--primary); border-color: var(--primary); color: white; }
.btn-primary:hover { background: #148567; }
.btn-danger { background: white; border-color: var(--danger); color: var(--danger); }
.btn.small { padding: 2px 8px; font-size: 12px; }
.topbar .btn.small { background: #ffffff22; color: white; border-color: #ffffff55; }
.overflow { position: relative; display: inline-block; }
.overflow summary { list-style: none; cursor: pointer; border: 1px solid #bbb; border-radius: 5px; padding: 2px 10px; font-weight: 700; }
.overflow summary::-webkit-details-marker { display: none; }
.overflow-menu { position: absolute; z-index: 5; right: 0; background: white; border: 1px solid #ccc; border-radius: 6px; box-shadow: 0 4px 12px #0002; padding: 4px 0; min-width: 180px; }
.overflow-item { display: block; width: 100%; text-align: left; border: none; background: none; padding: 6px 14px; cursor: pointer; font-size: 14px; }
.overflow-item:hover { background: var(--link); color: white; }
.overflow-item.danger { color: var(--danger); }
.mention { background: #e8f5fa; color: var(--link); border-radius: 3px; padding: 0 2px; }
a { color: var(--link); }
code { background: #f3f3f3; border: 1px solid #e5e5e5; border-radius: 3px; padding: 0 3px; font-size: 13px; color: #c01343; }
pre code { display: block; padding: 8px; color: inherit; }
blockquote { border-left: 4px solid #ddd; margin: 4px 0; padding-left: 10px; }
.unsupported { color: var(--danger); font-style: italic; }
.empty { color: var(--muted); padding: 24px 0; }
.composer[hidden] { display: none; }
.composer { display: flex; gap: 8px; padding: 10px 18px; border-top: 1px solid var(--line); }
.composer input { flex: 1; padding: 8px 10px; font-size: 15px; border: 1px solid #bbb; border-radius: 6px; font-family: ui-monospace, monospace; }
.flash { padding: 0 18px; min-height: 0; font-size: 13px; }
.flash.error { color: var(--danger); padding-bottom: 8px; }
.side-panel { padding: 12px; background: var(--bg); overflow-y: auto; font-size: 13px; }
.panel-title { font-size: 14px; margin: 0 0 8px; }
.muted { color: var(--muted); }
.modal-backdrop { position: fixed; inset: 0; background: #0008; display: grid; place-items: center; z-index: 10; }
.modal { background: white; width: min(560px, 94vw); max-height: 90vh; display: flex; flex-direction: column; border-radius: 8px; box-shadow: 0 10px 30px #0005; }
.modal-head { display: flex; align-items: center; justify-content: space-between; padding: 14px 20px; border-bottom: 1px solid var(--line); }
.modal-head h2 { margin: 0; font-size: 20px; }
.modal-x { border: none; background: none; font-size: 24px; cursor: pointer; }
.modal-body { padding: 8px 20px; overflow-y: auto; }
.modal-foot { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 20px; border-top: 1px solid var(--line); }
.input { display: flex; flex-direction: column; gap: 4px; }
.input-label { font-weight: 700; }
.input input, .input textarea, .input select { font: inherit; padding: 8px; border: 1px solid #bbb; border-radius: 5px; }
.input.has-error input, .input.has-error textarea { border-color: var(--danger); }
.field-error { color: var(--danger); font-size: 13px; }
.hint { color: var(--muted); font-size: 13px; }
.audit-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.audit-table th, .audit-table td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
.audit-table th { background: var(--bg); position: sticky; top: 0; }
dialog { border: none; border-radius: 8px; box-shadow: 0 10px 30px #0005; min-width: 320px; }
dialog footer { display: flex; justify-content: flex-end; gap: 8px; margin-top: 12px; }
@media (max-width: 1000px) { .layout { grid-template-columns: 200px 1fr; } .side-panel { display: none; } }
`;
