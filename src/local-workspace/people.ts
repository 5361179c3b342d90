import type { FakeSlackUserInput } from '../fake-slack/types.js';

/** Identities of the local workspace: a team of four, one of them in another time zone. */
export const LOCAL_TEAM = {
  teamId: 'TLOCAL',
  teamName: 'Local workspace',
  teamDomain: 'local',
  botUserId: 'ULOCALBOT',
  botId: 'BLOCALBOT',
  botName: 'pra-upgrade',
  apiAppId: 'ALOCALAPP',
} as const;

export const GENERAL_CHANNEL = 'general';

export const TEAMMATES: ReadonlyArray<
  Required<Pick<FakeSlackUserInput, 'id' | 'name' | 'real_name' | 'tz'>>
> = [
  { id: 'UALICE', name: 'alice', real_name: 'Alice Andersen', tz: 'Europe/Amsterdam' },
  { id: 'UBOB', name: 'bob', real_name: 'Bob Berger', tz: 'Europe/Amsterdam' },
  { id: 'UCAROL', name: 'carol', real_name: 'Carol Costa', tz: 'Europe/Amsterdam' },
  { id: 'UDAVE', name: 'dave', real_name: 'Dave Dubois', tz: 'America/New_York' },
];
