import { describe, expect, it } from 'vitest';
import { responseUrlAllowed } from '../../../src/slack/response-urls.js';

const SLACK_API = 'https://slack.com/api/';
const FAKE_API = 'http://127.0.0.1:4321/api/';

describe('responseUrlAllowed', () => {
  it.each([
    ['https://hooks.slack.com/commands/T1/123/abc', SLACK_API, true],
    ['https://hooks.slack.com/actions/T1/123/abc', SLACK_API, true],
    ['https://hooks.slack-gov.com/commands/T1/123/abc', SLACK_API, true],
    ['https://hooks.slack.com:443/commands/T1', SLACK_API, true],
    ['http://hooks.slack.com/commands/T1', SLACK_API, false],
    ['https://hooks.slack.com:8443/commands/T1', SLACK_API, false],
    ['https://hooks.slack.com.evil.example/commands', SLACK_API, false],
    ['https://evil.example/?hooks.slack.com', SLACK_API, false],
    ['https://user:pw@hooks.slack.com/commands', SLACK_API, false],
    ['https://slack.com/api/chat.postMessage', SLACK_API, true],
    ['http://169.254.169.254/latest/meta-data', SLACK_API, false],
    ['http://127.0.0.1:4321/response/abc', FAKE_API, true],
    ['http://127.0.0.1:4322/response/abc', FAKE_API, false],
    ['http://localhost:4321/response/abc', FAKE_API, false],
    ['https://127.0.0.1:4321/response/abc', FAKE_API, false],
    ['not a url', SLACK_API, false],
    ['', SLACK_API, false],
  ])('%s (API %s) → %s', (url, api, allowed) => {
    expect(responseUrlAllowed(url, api)).toBe(allowed);
  });
});
