import { describe, expect, it } from 'vitest';
import { DATABASE_DOWN_TEXT } from '../../../src/slack/listeners/context.js';
import { Harness, USERS } from '../../support/harness.js';

describe('when the database goes away under a running bot', () => {
  it('a command is answered "nothing was changed, try again", straight through the response_url', async () => {
    const h = await Harness.start();
    try {
      await h.bot.database.close();
      const before = h.fake.callsTo('conversations.create').length;
      const started = await h.command(USERS.alice.id, 'start single');
      expect(started.response.status).toBe(200);
      expect(started.replies()).toEqual([expect.stringContaining(DATABASE_DOWN_TEXT)]);
      expect(h.fake.callsTo('conversations.create')).toHaveLength(before);
      const help = await h.command(USERS.alice.id, 'help');
      expect(help.replies().join()).toContain('Nothing was changed');
    } finally {
      await h.stop().catch(() => undefined);
      await h.dispose().catch(() => undefined);
    }
  });
});
