// The page's HTML: a shell served at `/`, and fragments (top bar, sidebar, channel, modal) the page
// fetches again whenever the workspace changes. Everything shown is escaped here or in blocks.ts.
import { DateTime } from 'luxon';
import type { FakeChannel, FakeMessage, FakeUser, FakeView } from '../../fake-slack/types.js';
import type { AuditLog } from '../../services/read-audit-log.js';
import { LOCAL_TEAM } from '../people.js';
import type { LocalWorkspace, PrivateNote } from '../workspace.js';
import { blocksHtml, messageBodyHtml, type RenderContext, textHtml } from './blocks.js';
import { escapeHtml, jsonAttribute } from './html.js';
import { mrkdwnToHtml } from './mrkdwn.js';

/** What the page shows: who is looking, and where. */
export interface Location {
  as: FakeUser;
  /** A channel id, or null for the Home tab. */
  channel: string | null;
  /** In a channel: its messages, or the audit log of its upgrade. */
  tab: 'messages' | 'audit';
}

/** Extra simulated services (e.g. appliances) draw their controls in the side panel. */
export interface SidePanelSection {
  title: string;
  html: (location: Location) => string;
}

export interface Fragments {
  topbar: string;
  sidebar: string;
  main: string;
  panel: string;
  modal: string;
  /** Changes when the open modal does, so the page keeps what a person is typing otherwise. */
  modalKey: string;
  composer: { enabled: boolean; placeholder: string; channel: string | null };
  title: string;
}

export function renderContext(workspace: LocalWorkspace, viewer: FakeUser): RenderContext {
  return {
    userName: (id) => workspace.userName(id),
    channelName: (id) => workspace.slack.channel(id)?.name,
    zone: viewer.tz,
    now: workspace.clock.now(),
  };
}

function initials(person: FakeUser): string {
  return escapeHtml(person.real_name.slice(0, 1).toUpperCase());
}

function zoneLabel(zone: string, at: DateTime): string {
  return at.setZone(zone).toFormat('ZZZZ');
}

function topbarHtml(workspace: LocalWorkspace, location: Location): string {
  const now = workspace.clock.now();
  const mine = now.setZone(location.as.tz);
  const people = workspace
    .people()
    .map((person) => {
      const current = person.id === location.as.id;
      return `<button type="button" class="person${current ? ' current' : ''}" data-person="${escapeHtml(person.id)}" aria-pressed="${current}" title="Act as ${escapeHtml(person.real_name)} (${escapeHtml(person.tz)})"><span class="avatar">${initials(person)}</span><span class="person-name">${escapeHtml(person.real_name)}</span><span class="person-zone">${escapeHtml(zoneLabel(person.tz, now))} · ${escapeHtml(now.setZone(person.tz).toFormat('HH:mm'))}</span></button>`;
    })
    .join('');
  return (
    `<div class="brand">pra-upgrade <span class="tag">local workspace</span></div>` +
    `<div class="people" role="group" aria-label="Act as">${people}</div>` +
    `<div class="you" id="current-person">You are <strong>${escapeHtml(location.as.real_name)}</strong> <span class="muted">(${escapeHtml(location.as.tz)})</span></div>` +
    `<div class="clock" id="clock"><span class="clock-label">Simulated time</span> <strong class="clock-now" data-now="${escapeHtml(now.toISO() ?? '')}">${escapeHtml(mine.toFormat('ccc d LLL yyyy, HH:mm'))}</strong> <span class="muted">${escapeHtml(zoneLabel(location.as.tz, now))} · ${escapeHtml(now.toFormat('HH:mm'))} UTC</span>` +
    `<span class="clock-buttons"><button type="button" class="btn small" data-clock="15m">+15 min</button><button type="button" class="btn small" data-clock="1h">+1 h</button><button type="button" class="btn small" data-clock="1d">+1 day</button><button type="button" class="btn small" data-clock="next-reminder">Next reminder ⏭</button></span></div>`
  );
}

function sidebarHtml(workspace: LocalWorkspace, location: Location): string {
  const channels = workspace
    .channels()
    .map((channel) => {
      const current = channel.id === location.channel;
      const member = channel.members.has(location.as.id);
      return `<a class="channel${current ? ' current' : ''}${member ? '' : ' not-member'}" href="?as=${escapeHtml(location.as.id)}&c=${escapeHtml(channel.id)}" data-channel="${escapeHtml(channel.id)}"><span class="hash">#</span>${escapeHtml(channel.name)}<span class="count" title="members">${humanCount(channel)}</span></a>`;
    })
    .join('');
  const home = location.channel === null;
  return (
    `<a class="channel home${home ? ' current' : ''}" href="?as=${escapeHtml(location.as.id)}&c=home" data-channel="home">🏠 pra-upgrade · Home</a>` +
    `<div class="sidebar-title">Channels</div>${channels}`
  );
}

function humanCount(channel: FakeChannel): number {
  return [...channel.members].filter((id) => id !== LOCAL_TEAM.botUserId).length;
}

function timeOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL, HH:mm');
}

function messageHtml(
  workspace: LocalWorkspace,
  message: FakeMessage,
  pinned: boolean,
  ctx: RenderContext,
  zone: string,
): string {
  const author = workspace.slack.user(message.user);
  const isBot = message.bot_id !== undefined;
  const at = Math.floor(Number(message.ts) * 1000);
  const edited = message.edited > 0 ? ' <span class="edited">(edited)</span>' : '';
  const pin = pinned ? '<span class="pinned" title="Pinned">📌 Pinned</span>' : '';
  return (
    `<article class="message${pinned ? ' is-pinned' : ''}" data-ts="${escapeHtml(message.ts)}">` +
    `<div class="message-meta"><span class="author">${escapeHtml(author?.real_name ?? message.user)}</span>${isBot ? '<span class="app-badge">APP</span>' : ''}<time class="message-time">${escapeHtml(timeOf(at, zone))}</time>${edited}${pin}</div>` +
    `<div class="message-body">${messageBodyHtml(message, { kind: 'message', channel: message.channel, ts: message.ts }, ctx)}</div></article>`
  );
}

function noteHtml(note: PrivateNote, ctx: RenderContext, zone: string): string {
  return (
    `<article class="message ephemeral" data-note="${escapeHtml(note.id)}">` +
    `<div class="message-meta"><span class="author">pra-upgrade</span><span class="app-badge">APP</span><time class="message-time">${escapeHtml(timeOf(note.at, zone))}</time><span class="only-you">👁 Only visible to you</span></div>` +
    `<div class="message-body">${messageBodyHtml(note, { kind: 'ephemeral', channel: note.channel, id: note.id }, ctx)}</div></article>`
  );
}

function membersHtml(workspace: LocalWorkspace, channel: FakeChannel, location: Location): string {
  const me = location.as.id;
  const member = channel.members.has(me);
  const names = workspace
    .people()
    .filter((person) => channel.members.has(person.id))
    .map((person) => `<span class="member">${escapeHtml(person.real_name)}</span>`)
    .join('');
  const outside = workspace.people().filter((person) => !channel.members.has(person.id));
  const invite =
    member && outside.length > 0
      ? `<form class="invite" data-form="invite"><select name="user" aria-label="Add a teammate">${outside.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.real_name)}</option>`).join('')}</select><button type="submit" class="btn small">Add to channel</button></form>`
      : '';
  const general = channel.name === 'general';
  const joinLeave = member
    ? general
      ? ''
      : `<button type="button" class="btn small" data-membership="leave">Leave channel</button>`
    : `<button type="button" class="btn small btn-primary" data-membership="join">Join channel</button>`;
  return `<div class="members"><span class="members-label">Members:</span>${names || '<span class="muted">nobody yet</span>'} ${invite}${joinLeave}</div>`;
}

function channelHtml(
  workspace: LocalWorkspace,
  channel: FakeChannel,
  location: Location,
  audit: AuditLog | null,
): string {
  const ctx = renderContext(workspace, location.as);
  const topic = channel.topic.value
    ? `<div class="topic" title="Channel topic">${mrkdwnToHtml(channel.topic.value, ctx)}</div>`
    : '';
  const tabs = `<nav class="tabs"><button type="button" class="tab${location.tab === 'messages' ? ' current' : ''}" data-tab="messages">Messages</button><button type="button" class="tab${location.tab === 'audit' ? ' current' : ''}" data-tab="audit">Audit log</button></nav>`;
  const head = `<header class="channel-head"><h2>#${escapeHtml(channel.name)}</h2>${topic}${membersHtml(workspace, channel, location)}${tabs}</header>`;
  if (location.tab === 'audit')
    return `${head}<section class="audit">${auditHtml(workspace, audit, location)}</section>`;
  const pins = new Set(workspace.pins(channel.id));
  const items: Array<{ at: number; html: string }> = [
    ...workspace.messages(channel.id).map((message) => ({
      at: Math.floor(Number(message.ts) * 1000),
      html: messageHtml(workspace, message, pins.has(message.ts), ctx, location.as.tz),
    })),
    ...workspace
      .privateNotes(location.as.id, channel.id)
      .map((note) => ({ at: note.at, html: noteHtml(note, ctx, location.as.tz) })),
  ].sort((a, b) => a.at - b.at);
  const empty =
    channel.name === 'general'
      ? `<div class="empty">Start here: type <code>/pra-upgrade start async</code> below (or press <em>Help</em>). The bot opens a channel for the upgrade and posts its runbook there.</div>`
      : '<div class="empty">No messages yet.</div>';
  return `${head}<section class="messages" id="messages">${items.length > 0 ? items.map((i) => i.html).join('') : empty}</section>`;
}

function auditHtml(workspace: LocalWorkspace, audit: AuditLog | null, location: Location): string {
  if (!audit) return '<div class="empty">No upgrade runs in this channel, so there is no audit log.</div>';
  const rows = audit.lines
    .map((line) => {
      const person = line.actor.startsWith('system:')
        ? line.actor
        : (workspace.slack.user(line.actor)?.real_name ?? line.actor);
      return `<tr><td>${escapeHtml(DateTime.fromJSDate(line.occurredAt, { zone: location.as.tz }).toFormat('yyyy-MM-dd HH:mm:ss'))}</td><td>${escapeHtml(person)}</td><td>${escapeHtml(line.action)}</td><td>${line.stepKey ? `<code>${escapeHtml(line.stepKey)}</code>` : ''}</td><td>${line.rule ? `<code>${escapeHtml(line.rule)}</code>` : ''}</td></tr>`;
    })
    .join('');
  return `<p class="muted">Upgrade ${escapeHtml(audit.upgradeId)} · ${audit.lines.length} events, oldest first · times in your zone (${escapeHtml(location.as.tz)}), as recorded</p><table class="audit-table"><thead><tr><th>Time</th><th>Person</th><th>Action</th><th>Step</th><th>Rule</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function homeHtml(workspace: LocalWorkspace, location: Location): string {
  const view = workspace.homeView(location.as.id);
  const ctx = renderContext(workspace, location.as);
  const body = view
    ? blocksHtml(view.blocks, { kind: 'view', viewId: view.id }, ctx)
    : '<div class="empty">Opening the Home tab…</div>';
  return `<header class="channel-head"><h2>🏠 pra-upgrade · Home</h2></header><section class="home">${body}</section>`;
}

export function modalHtml(
  view: FakeView | undefined,
  ctx: RenderContext,
  errors: Record<string, string> = {},
): string {
  if (!view) return '';
  const title = textHtml(view.title, ctx);
  const submit = view.submit ? textHtml(view.submit, ctx) : '';
  const close = view.close ? textHtml(view.close, ctx) : 'Close';
  return (
    `<div class="modal-backdrop"><form class="modal" data-form="view" data-view="${escapeHtml(view.id)}" role="dialog" aria-modal="true" aria-label="${title}" novalidate>` +
    `<header class="modal-head"><h2>${title}</h2><button type="button" class="modal-x" data-close-view aria-label="Close">×</button></header>` +
    `<div class="modal-body">${blocksHtml(view.blocks, { kind: 'view', viewId: view.id }, { ...ctx, errors })}</div>` +
    `<footer class="modal-foot"><button type="button" class="btn" data-close-view>${close}</button>${submit ? `<button type="submit" class="btn btn-primary">${submit}</button>` : ''}</footer></form></div>`
  );
}

function panelHtml(sections: SidePanelSection[], location: Location): string {
  const body =
    sections.length > 0
      ? sections
          .map(
            (s) =>
              `<section class="panel-section"><h3>${escapeHtml(s.title)}</h3>${s.html(location)}</section>`,
          )
          .join('')
      : '<p class="muted">None in this build. Simulated services (such as appliances) show their controls here.</p>';
  return `<h2 class="panel-title">Simulated services</h2>${body}`;
}

export function fragments(
  workspace: LocalWorkspace,
  location: Location,
  audit: AuditLog | null,
  sections: SidePanelSection[],
): Fragments {
  const channel = location.channel === null ? undefined : workspace.slack.channel(location.channel);
  const view = workspace.openModal(location.as.id);
  const member = channel?.members.has(location.as.id) ?? false;
  return {
    topbar: topbarHtml(workspace, location),
    sidebar: sidebarHtml(workspace, location),
    main: channel ? channelHtml(workspace, channel, location, audit) : homeHtml(workspace, location),
    panel: panelHtml(sections, location),
    modal: modalHtml(view, renderContext(workspace, location.as)),
    modalKey: view ? `${view.id}:${view.hash}` : '',
    composer: {
      enabled: channel !== undefined && member && location.tab === 'messages',
      placeholder: channel
        ? member
          ? `/pra-upgrade … in #${channel.name} (as ${location.as.real_name})`
          : `Join #${channel.name} to type commands here`
        : 'Open a channel to type commands',
      channel: channel?.id ?? null,
    },
    title: channel ? `#${channel.name} · pra-upgrade local workspace` : 'Home · pra-upgrade local workspace',
  };
}

/** The page shell: the first paint has every fragment, the script keeps them live. */
export function pageHtml(initial: Fragments, location: Location): string {
  const state = { as: location.as.id, channel: location.channel ?? 'home', tab: location.tab };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(initial.title)}</title><link rel="stylesheet" href="/assets/page.css"></head>
<body data-state="${jsonAttribute(state)}" data-modal-key="${escapeHtml(initial.modalKey)}">
<header class="topbar" id="topbar">${initial.topbar}</header>
<div class="layout">
<nav class="sidebar" id="sidebar" aria-label="Channels">${initial.sidebar}</nav>
<div class="center">
<main class="main" id="main">${initial.main}</main>
<form class="composer" id="composer" data-form="command"${initial.composer.enabled ? '' : ' hidden'}>
<input type="text" name="text" id="composer-input" autocomplete="off" placeholder="${escapeHtml(initial.composer.placeholder)}" aria-label="Command">
<button type="submit" class="btn btn-primary">Send</button>
<button type="button" class="btn" data-help title="/pra-upgrade help">Help</button>
</form>
<div class="flash" id="flash" role="status" aria-live="polite"></div>
</div>
<aside class="side-panel" id="panel" aria-label="Simulated services">${initial.panel}</aside>
</div>
<div id="modal-root">${initial.modal}</div>
<dialog id="confirm-dialog"><form method="dialog"><h2 data-confirm-title></h2><div data-confirm-text></div><footer><button value="cancel" class="btn" data-confirm-deny>Cancel</button><button value="ok" class="btn btn-primary" data-confirm-ok>Yes</button></footer></form></dialog>
<script src="/assets/page.js" type="module"></script>
</body></html>`;
}
