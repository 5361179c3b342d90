// Local mode's two simulated BeyondTrust appliances (A primary, B backup). They follow what the team
// does: when a step is checked with them, they carry it out first (carryOut), unless the page's control
// makes one misbehave (stay on the old version, keep failover, stop syncing), so a person sees a refusal.
import pino from 'pino';
import { z } from 'zod';
import {
  carryOut,
  MISBEHAVIOUR_LABELS,
  MISBEHAVIOURS,
  type Misbehaviour,
} from '../appliances/follow-the-team.js';
import { ApplianceSimulator } from '../appliances/simulator.js';
import type { LinkedApplianceConfig } from '../config/appliances-file.js';
import { Secret } from '../config/secret.js';
import type { Database } from '../db/client.js';
import { findApplianceChecks } from '../services/find-appliance-checks.js';
import { systemActor } from '../services/shared/context.js';
import type { SimulatedClock } from './clock.js';
import type { SidePanelSection } from './page/page.js';
import { type ExtraAction, extraAction } from './server.js';
import type { LocalWorkspace } from './workspace.js';

// The shapes of extensions.ts, restated here: that file lists this service, so importing it would cycle.
interface ServiceContext {
  workspace: LocalWorkspace;
  clock: SimulatedClock;
  database: Database;
}

interface StartedAppliances {
  appliances: LinkedApplianceConfig[];
  sidePanel: SidePanelSection[];
  actions: Map<string, ExtraAction>;
  stop(): Promise<void>;
}

const NEW_VERSION = { version: '24.1.2', build: '5123' };
const NAMES = { a: 'pra-a', b: 'pra-b' } as const;
type Which = keyof typeof NAMES;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const localAppliances: { name: string; start(ctx: ServiceContext): Promise<StartedAppliances> } = {
  name: 'appliances',
  async start(ctx) {
    const now = () => ctx.clock.now().toMillis();
    const sims: Record<Which, ApplianceSimulator> = {
      a: await ApplianceSimulator.start({ now, state: { hostname: NAMES.a, role: 'primary' } }),
      b: await ApplianceSimulator.start({ now, state: { hostname: NAMES.b, role: 'backup' } }),
    };
    const misbehaving: Partial<Record<Which, Misbehaviour | null>> = {};
    const services = {
      db: ctx.database.db,
      now: ctx.clock.now,
      logger: pino({ level: 'silent' }),
      settings: { failoverGapLimit: 'P1D' },
      outboxChanged: () => undefined,
      actor: systemActor('local-appliances'),
    };
    const done = new Set<string>();
    // Before an appliance answers: carry out every step being checked with it, once per check.
    const follow = async (path: string) => {
      for (const check of await findApplianceChecks({ ctx: services, input: {} })) {
        const key = `${check.upgradeId}:${check.step}:${ctx.clock.now().toISO()}`;
        if (done.has(key)) continue;
        done.add(key);
        carryOut(
          { appliances: sims, misbehaving, newVersion: NEW_VERSION },
          check.plan,
          check.step,
          new Date(now()),
        );
        // After a site update the Jump Clients of the site queue up for their own upgrade.
        if (check.step.endsWith('.update.site'))
          sims[check.step.startsWith('a') ? 'a' : 'b'].setJumpClients(24, 24);
      }
      // Jump Clients upgrade a few at a time, each time the bot counts them.
      if (path === '/api/config/v1/jump-client') {
        for (const sim of Object.values(sims)) {
          const pending = sim.state.jumpClients.filter((c) => c.needs_update).length;
          sim.setJumpClients(sim.state.jumpClients.length, Math.max(0, pending - 8));
        }
      }
      ctx.workspace.clockMoved();
    };
    for (const sim of Object.values(sims)) sim.beforeAnswer = follow;

    const section = (which: Which) => ({
      title: `Appliance ${which.toUpperCase()} (${NAMES[which]}, simulated)`,
      html: () => {
        const s = sims[which].state;
        const pending = s.jumpClients.filter((c) => c.needs_update).length;
        const current = misbehaving[which] ?? null;
        const options = [null, ...MISBEHAVIOURS]
          .map((m) => {
            const label = m ? MISBEHAVIOUR_LABELS[m] : 'does what the team does';
            const body = escapeHtml(JSON.stringify({ appliance: which, misbehave: m ?? 'none' }));
            return `<button type="button" class="${m === current ? 'primary' : ''}" data-service="/local/appliances" data-body="${body}">${escapeHtml(label)}</button>`;
          })
          .join(' ');
        return `<p>${escapeHtml(`${s.version} (${s.build}) · role ${s.role} · last sync ${s.lastSyncAt ? s.lastSyncAt.toISOString().slice(0, 16).replace('T', ' ') : 'none'} · ${pending} Jump Clients pending`)}</p><p>${options}</p>`;
      },
    });

    const misbehaveAction = extraAction(
      z.object({ appliance: z.enum(['a', 'b']), misbehave: z.enum([...MISBEHAVIOURS, 'none']) }),
      async ({ appliance, misbehave }) => {
        const chosen = misbehave === 'none' ? null : misbehave;
        misbehaving[appliance] = chosen;
        ctx.workspace.clockMoved();
        const does = chosen ? MISBEHAVIOUR_LABELS[chosen] : 'does what the team does';
        return { message: `Appliance ${appliance.toUpperCase()} now ${does}.` };
      },
    );

    return {
      appliances: (Object.keys(sims) as Which[]).map((which) => ({
        name: NAMES[which],
        baseUrl: sims[which].url,
        clientId: sims[which].clientId,
        clientSecret: new Secret(sims[which].clientSecret),
        ca: null,
        timeoutMs: 5000,
      })),
      sidePanel: [section('a'), section('b')],
      actions: new Map([['/local/appliances', misbehaveAction]]),
      async stop() {
        await Promise.all(Object.values(sims).map((s) => s.stop()));
      },
    };
  },
};
