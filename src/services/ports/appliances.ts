import type { ApplianceFailure } from '../../engine/constants.js';
import type { HealthReading } from '../../engine/types.js';

/** One HTTP call to an appliance, as the audit log keeps it: what and how it went, never a credential. */
export interface ApplianceCall {
  appliance: string;
  operation: 'token' | 'check_health' | 'jump-client' | 'jumpoint';
  status: number | null;
  outcome: 'ok' | ApplianceFailure;
  /** A Configuration API list: the page asked for. */
  page?: number;
}

export type ApplianceAnswer<T> =
  | { ok: true; value: T; calls: ApplianceCall[] }
  | { ok: false; reason: ApplianceFailure; message: string; calls: ApplianceCall[] };

/** The BeyondTrust APIs the services use; implemented in src/appliances (and simulated for tests). */
export interface AppliancePort {
  /** The name as the file spells it. */
  canonicalName(name: string): string | null;
  health(name: string): Promise<ApplianceAnswer<HealthReading>>;
  jumpClients(name: string): Promise<ApplianceAnswer<{ pending: number; total: number }>>;
  jumpoints(
    name: string,
  ): Promise<ApplianceAnswer<{ total: number; connected: number; disconnected: string[] }>>;
}
