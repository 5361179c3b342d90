import type { Refusal } from '../../engine/types.js';

/**
 * The Slack workspace is part of who someone is: user ids are only unique within one, so a request
 * from another workspace never acts on an upgrade, whatever user id it carries.
 */
export function otherWorkspaceRefusal(upgradeTeamId: string, requesterTeamId: string): Refusal | null {
  if (upgradeTeamId === requesterTeamId) return null;
  return {
    rule: 'OTHER_WORKSPACE',
    missing: [],
    duplicate: false,
    message: 'This upgrade belongs to another Slack workspace; only people of that workspace can act on it.',
  };
}
