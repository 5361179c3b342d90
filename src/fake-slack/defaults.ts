/**
 * Identities the fake workspace uses when a caller does not choose its own. Shared by the fake
 * Web API server and the signed-request helpers so both sides of a test agree without wiring.
 */
export const FAKE_SLACK_DEFAULTS = {
  botToken: 'xoxb-fake-bot-token',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  botName: 'pra-upgrade',
  teamId: 'T0FAKETEAM',
  teamName: 'Fake Workspace',
  teamDomain: 'fake-workspace',
  apiAppId: 'A0FAKEAPP',
  /** Slack still sends the deprecated verification token in payloads; Bolt ignores it. */
  verificationToken: 'fake-verification-token',
} as const;
