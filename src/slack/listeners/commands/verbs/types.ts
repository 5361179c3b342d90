import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ServiceContext } from '../../../../services/shared/context.js';
import type { ParsedCommand } from '../../../parse/command-text.js';
import type { ListenerDeps } from '../../context.js';
import type { SlashCommandPayload } from '../../payloads.js';

/** One `/pra-upgrade` verb, after the command was acked and parsed. */
export interface VerbCall<V extends ParsedCommand['verb']> {
  command: Extract<ParsedCommand, { verb: V }>;
  payload: SlashCommandPayload;
  ctx: ServiceContext;
  deps: ListenerDeps;
  client: WebClient;
  respond: RespondFn;
}
