// The place for more simulated services in local mode (e.g. BeyondTrust appliances): each starts
// with the workspace, may draw controls in the page's side panel and answer page actions under /local/.
import type { LinkedApplianceConfig } from '../config/appliances-file.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logging/logger.js';
import { localAppliances } from './appliances.js';
import type { SimulatedClock } from './clock.js';
import type { SidePanelSection } from './page/page.js';
import type { ExtraAction } from './server.js';
import type { LocalWorkspace } from './workspace.js';

export interface LocalServiceContext {
  workspace: LocalWorkspace;
  clock: SimulatedClock;
  database: Database;
  logger: Logger;
}

export interface StartedLocalService {
  /** Appliances the bot may ask, as if listed in PRA_APPLIANCES_FILE (the simulated ones). */
  appliances?: LinkedApplianceConfig[];
  sidePanel?: SidePanelSection[];
  /** The page's actions it answers, by path under /local/ (JSON from the page only, parsed by zod). */
  actions?: Map<string, ExtraAction>;
  stop(): Promise<void>;
}

export interface LocalService {
  name: string;
  start(ctx: LocalServiceContext): Promise<StartedLocalService>;
}

/** Simulated services started in local mode, in order: two BeyondTrust appliances. */
export const LOCAL_SERVICES: LocalService[] = [localAppliances];
