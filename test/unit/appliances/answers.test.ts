import { describe, expect, it } from 'vitest';
import { parseHealthCheck } from '../../../src/appliances/answers.js';

const healthCheck = (syncTime: string) =>
  `<?xml version="1.0"?><health_check><appliance>pra-a</appliance><version>24.1.2 (5123)</version><success>1</success><failover_role>primary</failover_role>${syncTime}</health_check>`;

describe('check_health answers', () => {
  it('reads the sync time from its ts attribute', () => {
    const parsed = parseHealthCheck(
      healthCheck('<last_data_sync_time ts="1795860000">whenever</last_data_sync_time>'),
    );
    expect(parsed).toMatchObject({ ok: true, value: { lastSyncAt: '2026-11-28T10:00:00.000Z' } });
  });

  it('takes a timestamp past what a date holds for no time, without failing the answer', () => {
    const parsed = parseHealthCheck(
      healthCheck('<last_data_sync_time ts="99999999999999999">not a date either</last_data_sync_time>'),
    );
    expect(parsed).toMatchObject({ ok: true, value: { version: '24.1.2', lastSyncAt: null } });
  });
});
