import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { routingApp } from '../../../../src/slack/listeners/router.js';
import type { Routes } from '../../../../src/slack/listeners/unmatched.js';

type Listener = (args: Record<string, unknown>) => Promise<void>;

/** Stands in for Bolt's App: records what is registered on it. */
function fakeBolt() {
  const registered: { kind: string; id: string | RegExp; listener: Listener }[] = [];
  const register = (kind: string) => (id: string | RegExp, listener: Listener) => {
    registered.push({ kind, id, listener });
  };
  const app = {
    action: register('action'),
    view: register('view'),
    event: register('event'),
    command: register('command'),
  } as unknown as App;
  return { app, registered };
}

describe('routingApp', () => {
  it('gives Bolt one listener per kind, which hands each request to the listeners whose id matches', async () => {
    const bolt = fakeBolt();
    const routes: Routes = { actions: [], views: [], events: [], commands: [] };
    const { app, install } = routingApp(bolt.app, routes);
    const heard: string[] = [];
    const hear = (name: string) => async () => {
      heard.push(name);
    };
    app.action('step.complete', hear('complete'));
    app.action('step.claim', hear('claim'));
    app.action(/^reminder\.snooze\./, hear('snooze'));
    app.view('skip.reason', hear('skip'));
    app.event('member_joined_channel', hear('joined'));
    app.command('/pra-upgrade', hear('command'));
    // Nothing reaches Bolt until install, and then one listener a kind.
    expect(bolt.registered).toEqual([]);
    install();
    expect(bolt.registered.map((r) => r.kind)).toEqual(['action', 'view', 'event', 'command']);
    const listenerOf = (kind: string) => {
      const found = bolt.registered.find((r) => r.kind === kind);
      if (!found) throw new Error(`no ${kind} listener`);
      return found.listener;
    };

    await listenerOf('action')({ action: { action_id: 'step.claim' } });
    await listenerOf('action')({ action: { action_id: 'reminder.snooze.PT1H' } });
    await listenerOf('action')({ action: { action_id: 'step.unknown' } });
    await listenerOf('view')({ view: { callback_id: 'skip.reason' } });
    await listenerOf('event')({ event: { type: 'member_joined_channel' } });
    await listenerOf('event')({ event: { type: 'member_left_channel' } });
    await listenerOf('command')({ command: { command: '/pra-upgrade' } });
    expect(heard).toEqual(['claim', 'snooze', 'skip', 'joined', 'command']);
    // The catch-all learns every id answered.
    expect(routes).toEqual({
      actions: ['step.complete', 'step.claim', /^reminder\.snooze\./],
      views: ['skip.reason'],
      events: ['member_joined_channel'],
      commands: ['/pra-upgrade'],
    });
  });

  it('passes a listener failure on to Bolt, and refuses registrations it would not route', async () => {
    const bolt = fakeBolt();
    const { app, install } = routingApp(bolt.app, { actions: [], views: [], events: [], commands: [] });
    app.action('step.complete', async () => {
      throw new Error('listener failed');
    });
    expect(() =>
      (app.action as unknown as (...args: unknown[]) => void)(
        'step.claim',
        async () => {},
        async () => {},
      ),
    ).toThrow(/only an id and one listener/);
    install();
    await expect(bolt.registered[0]?.listener({ action: { action_id: 'step.complete' } })).rejects.toThrow(
      'listener failed',
    );
  });
});
