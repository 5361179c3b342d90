import { observeAppliances } from '../../services/observe-appliances.js';
import type { Job } from '../job.js';

/**
 * Asks the linked appliances, once a minute, about the steps that follow them (the first sync after
 * re-establishing, Jump Clients still waiting to upgrade). Without an appliances file it does nothing.
 */
export const watchAppliances = {
  name: 'watch-appliances',
  cron: () => '0 * * * * *',
  distributed: true,
  run: async (ctx) => {
    await observeAppliances({ ctx, input: {} });
  },
} satisfies Job;
