import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import { z } from 'zod';
import { responseUrlAllowed, SLACK_RESPONSE_HOSTS } from './response-urls.js';

/** What the guard reports about a signed body it refused. */
export interface MalformedBody {
  problem: string;
  /** The start of the body, for the audit log; tokens are cut out by the caller. */
  received: string;
}

const object = z.record(z.string(), z.unknown());
const withId = z.object({ id: z.string().min(1) }).loose();

// Just enough of each envelope that Bolt can route it without throwing; the listeners parse the rest.
const ENVELOPES: Record<string, z.ZodType> = {
  block_actions: z.object({ user: withId, actions: z.array(object) }).loose(),
  block_suggestion: z.object({ user: withId }).loose(),
  view_submission: z.object({ user: withId, view: z.object({ callback_id: z.string() }).loose() }).loose(),
  view_closed: z.object({ user: withId, view: z.object({ callback_id: z.string() }).loose() }).loose(),
  shortcut: z.object({ user: withId, callback_id: z.string() }).loose(),
  message_action: z.object({ user: withId, callback_id: z.string() }).loose(),
  event_callback: z.object({ event: z.object({ type: z.string() }).loose() }).loose(),
};
// Where a payload names the URLs the bot may answer to; built once, not per request.
const responseUrls = z
  .object({
    response_url: z.unknown().optional(),
    response_urls: z.array(z.object({ response_url: z.unknown() }).loose()).optional(),
  })
  .loose();
// A slash command is a flat form: a repeated field (`text=a&text=b`) arrives as an array.
const slashCommand = z.record(z.string(), z.string());

/**
 * Why a body is not a Slack payload Bolt can route, or null when it is one. Bolt itself throws outside
 * its error handling on a body that parses to `null`, which would end the process.
 */
function malformedBodyProblem(
  rawBody: string,
  contentType: string | undefined,
  slackApiUrl: string,
): string | null {
  let body: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(rawBody);
      if (typeof form.payload === 'string') body = JSON.parse(form.payload);
      else if (form.payload !== undefined) return 'the payload field appears more than once';
      else {
        const fields = slashCommand.safeParse(form);
        if (!fields.success) return 'a form field appears more than once';
        return responseUrlProblem([fields.data.response_url], slackApiUrl);
      }
    } else {
      body = JSON.parse(rawBody);
    }
  } catch {
    return 'the body is not valid JSON';
  }
  const envelope = object.safeParse(body);
  if (!envelope.success || Array.isArray(body)) return 'the body is not a JSON object';
  const type = envelope.data.type;
  if (type === undefined) return 'it says neither what type of payload it is nor which command';
  const urls = responseUrls.safeParse(body);
  if (!urls.success) return 'its response_urls are not a list of URLs';
  const urlProblem = responseUrlProblem(
    [urls.data.response_url, ...(urls.data.response_urls ?? []).map((u) => u.response_url)],
    slackApiUrl,
  );
  if (urlProblem) return urlProblem;
  if (typeof type !== 'string') return 'its type is not a string';
  const schema = ENVELOPES[type];
  if (!schema) return null;
  const checked = schema.safeParse(body);
  if (checked.success) return null;
  return `a ${type} payload without ${checked.error.issues.map((i) => i.path.join('.') || 'its fields').join(', ')}`;
}

/** A response_url the bot would never POST to: not a string, or not on Slack's hosts. */
function responseUrlProblem(urls: unknown[], slackApiUrl: string): string | null {
  for (const url of urls) {
    if (url === undefined) continue;
    if (typeof url !== 'string') return 'its response_url is not a URL';
    if (!responseUrlAllowed(url, slackApiUrl))
      return `its response_url is not on Slack's hosts (${SLACK_RESPONSE_HOSTS.join(', ')})`;
  }
  return null;
}

function signedWith(signingSecret: string, req: IncomingMessage, rawBody: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: rawBody,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/**
 * Puts a check in front of Bolt's HTTP receiver: a signed body on the events endpoint that is not a
 * routable Slack payload, or names a response_url off Slack's hosts, is answered 400 and reported; everything else (unsigned requests included,
 * which Bolt answers 401) goes on to Bolt with its body already read.
 */
export function guardReceiver(
  receiver: HTTPReceiver,
  options: {
    endpoint: string;
    signingSecret: string;
    /** SLACK_API_URL: its host may serve response_urls too (the fake Slack, the local workspace). */
    slackApiUrl: string;
    onMalformed: (report: MalformedBody) => void;
    onError: (error: unknown) => void;
  },
): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== options.endpoint) {
      bolt(req, res);
      return;
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then(
      (buffered) => {
        const rawBody = buffered.rawBody.toString();
        // The signature is checked only for a body found wrong (Bolt checks every other): an unsigned one
        // goes on to Bolt, which answers 401, so a signed body is never verified twice.
        const found = malformedBodyProblem(rawBody, req.headers['content-type'], options.slackApiUrl);
        const problem = found && signedWith(options.signingSecret, req, rawBody) ? found : null;
        if (problem) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(`Not a Slack payload: ${problem}.`);
          options.onMalformed({ problem, received: rawBody.slice(0, 300) });
          return;
        }
        try {
          bolt(buffered, res);
        } catch (error) {
          options.onError(error);
          if (!res.headersSent) {
            res.writeHead(500);
            res.end();
          }
        }
      },
      (error: unknown) => {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
        res.writeHead(tooLarge ? 413 : 400);
        res.end();
      },
    );
  };
}
