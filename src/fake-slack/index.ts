/**
 * Fake Slack for integration tests, the local playground and the demo.
 *
 * ```ts
 * const fake = await FakeSlack.start({ users: [{ id: 'UALICE', name: 'alice', tz: 'Europe/Paris' }] });
 * // app: new App({ token: fake.botToken, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } })
 * const body = slashCommandBody({ command: '/pra-upgrade', text: 'start single', userId: 'UALICE',
 *   channelId: 'C1', teamId: fake.teamId, responseUrl: fake.createResponseUrl() });
 * await postToApp('http://127.0.0.1:3000/slack/events', body, { signingSecret });
 * const created = await fake.waitForCall('conversations.create');
 * fake.injectFault('chat.postMessage', { retryAfter: 30 }); // the next post gets a 429
 * await fake.stop();
 * ```
 */
export { BLOCK_KIT_LIMITS, type BlocksProblem, checkBlocks } from './block-kit-limits.js';
export { FAKE_SLACK_DEFAULTS } from './defaults.js';
export * from './driver.js';
export * from './fake-slack.js';
export { leastTimeMs, METHOD_TIERS, RateLimitModel, TIER_PER_MINUTE } from './rate-limits.js';
export * from './signed-requests.js';
