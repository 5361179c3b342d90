// The bot scopes the app needs, each for the Web API methods (or events) that use it. manifest.yml
// must ask for exactly these; a test keeps the two, and the calls in the code, in step.

export const SCOPES = {
  commands: ['/pra-upgrade'],
  'chat:write': ['chat.postMessage', 'chat.update'],
  'channels:manage': ['conversations.create', 'conversations.invite', 'conversations.setTopic'],
  'channels:read': ['member_joined_channel', 'member_left_channel', 'conversations.list'],
  // Only after an uncertain post (a timeout, a crash): finds the message by its metadata instead of posting twice.
  'channels:history': ['conversations.history'],
  'pins:write': ['pins.add'],
  'users:read': ['users.info'],
} as const;

/**
 * Methods that need no scope of their own. `chat.getPermalink` (the overview's links to the runbook
 * messages) is one: Slack documents "no scope required" for bot tokens.
 */
export const UNSCOPED_METHODS = ['auth.test', 'chat.getPermalink', 'views.open', 'views.publish'] as const;

export type Scope = keyof typeof SCOPES;
