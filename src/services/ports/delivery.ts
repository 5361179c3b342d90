import type { Renderer, SlackGateway } from './slack.js';

/** What delivering needs besides the database: Slack and the Block Kit renderer. */
export interface DeliveryPorts {
  gateway: SlackGateway;
  renderer: Renderer;
}
