import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REGISTERED } from '../../../src/slack/listeners/index.js';
import { SCOPES, UNSCOPED_METHODS } from '../../../src/slack/scopes.js';

const ROOT = join(import.meta.dirname, '../../..');

interface Manifest {
  features: {
    slash_commands: { command: string; should_escape?: boolean; usage_hint?: string; description?: string }[];
    app_home: { home_tab_enabled: boolean };
    bot_user: { display_name: string };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('manifest.yml matches what the app registers and calls', () => {
  it('declares exactly the slash commands the app listens to, escaped so mentions arrive as ids', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([...REGISTERED.commands]);
    for (const command of manifest.features.slash_commands) {
      expect(command.should_escape).toBe(true);
      expect(command.description?.length).toBeGreaterThan(10);
      expect(command.usage_hint).toContain('start');
    }
  });

  it('subscribes to exactly the events the app handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...REGISTERED.events].sort(),
    );
  });

  it('asks for exactly the scopes the app uses, no more', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(SCOPES).sort());
  });

  it('has a scope for every Web API method the code calls', () => {
    const covered = new Set<string>([...Object.values(SCOPES).flat(), ...UNSCOPED_METHODS]);
    const called = new Set<string>();
    for (const file of sources(join(ROOT, 'src/slack'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/client\.([a-z]+)\.([a-zA-Z]+)\(/g)) {
        called.add(`${match[1]}.${match[2]}`);
      }
    }
    expect(called.size).toBeGreaterThan(5);
    expect([...called].filter((method) => !covered.has(method))).toEqual([]);
    // And the other way round: every scope is still used by a call, an event or the command.
    const used = new Set<string>([...called, ...REGISTERED.events, ...REGISTERED.commands]);
    for (const [scope, uses] of Object.entries(SCOPES)) {
      expect(
        uses.some((use) => used.has(use)),
        `${scope} is asked for but nothing uses it`,
      ).toBe(true);
    }
    // Every event the app registers needs its scope too (except the Home tab, which needs none).
    for (const event of REGISTERED.events.filter((e) => e !== 'app_home_opened'))
      expect(covered.has(event)).toBe(true);
  });

  it('turns on interactivity, the Home tab and Socket Mode', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
