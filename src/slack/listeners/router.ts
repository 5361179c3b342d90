import type { App } from '@slack/bolt';
import type { Routes } from './unmatched.js';

type Id = string | RegExp;
type Kind = 'action' | 'view' | 'event' | 'command';
type Handler = (args: never) => Promise<void>;
type Route = { id: Id; handler: Handler };

const KINDS: readonly Kind[] = ['action', 'view', 'event', 'command'];
const ANY = /[\s\S]*/;

function matching(routes: Route[], id: string | undefined): Route[] {
  if (id === undefined) return [];
  return routes.filter((route) => (typeof route.id === 'string' ? route.id === id : route.id.test(id)));
}

/** The id Bolt matched a request on, per kind of listener. */
function idOf(kind: Kind, args: Record<string, unknown>): string | undefined {
  const field = (value: unknown, key: string) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  const id =
    kind === 'action'
      ? field(args.action, 'action_id')
      : kind === 'view'
        ? field(args.view, 'callback_id')
        : kind === 'event'
          ? field(args.event, 'type')
          : field(args.command, 'command');
  return typeof id === 'string' ? id : undefined;
}

/**
 * An App on which each listener registers as it would on Bolt's, but Bolt gets one listener per kind
 * (action, view, event, command) that hands a request to the listeners whose id matches. Bolt runs
 * every request through every listener's matchers: with twenty of them that was a tenth of a click's
 * CPU. Every registration is also written into `routes`, so the catch-all knows what is answered.
 */
export function routingApp(app: App, routes: Routes): { app: App; install(): void } {
  const table: Record<Kind, Route[]> = { action: [], view: [], event: [], command: [] };
  const recorded: Record<Kind, Id[]> = {
    action: routes.actions,
    view: routes.views,
    event: routes.events,
    command: routes.commands,
  };
  const routing = new Proxy(app, {
    get(target, property, receiver) {
      const kind = KINDS.find((k) => k === property);
      if (!kind) {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (id: Id, ...rest: unknown[]) => {
        const handler = rest.at(-1);
        // Bolt's own options (extra middleware, constraints objects) are not used by this bot's listeners.
        if (
          rest.length !== 1 ||
          typeof handler !== 'function' ||
          !(typeof id === 'string' || id instanceof RegExp)
        ) {
          throw new Error(`app.${kind}: only an id and one listener are supported here`);
        }
        recorded[kind].push(id);
        table[kind].push({ id, handler: handler as Handler });
      };
    },
  });
  return {
    app: routing,
    install() {
      for (const kind of KINDS) {
        const routesOfKind = table[kind];
        if (routesOfKind.length === 0) continue;
        const dispatch = async (args: Record<string, unknown>) => {
          await Promise.all(
            matching(routesOfKind, idOf(kind, args)).map((route) => route.handler(args as never)),
          );
        };
        // biome-ignore lint/suspicious/noExplicitAny: Bolt's listener types differ per kind; the dispatch reads what it needs.
        (app[kind] as (id: RegExp, listener: (args: any) => Promise<void>) => void).call(app, ANY, dispatch);
      }
    },
  };
}
