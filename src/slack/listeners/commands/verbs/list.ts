import { progressVerb } from './status.js';

/** `list`: the team's active upgrades. */
export const list = progressVerb('list', 'the active upgrades of this workspace.');
