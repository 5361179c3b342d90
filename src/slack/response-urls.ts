/** The hosts Slack sends response_urls on (commercial and GovSlack). */
export const SLACK_RESPONSE_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'] as const;

/**
 * Whether the bot may POST to a response_url: only Slack's own hosts over https, or the host of the
 * configured SLACK_API_URL (the fake Slack in tests, the local workspace). Anything else would let a
 * signed payload make the bot call into the network it runs in.
 */
export function responseUrlAllowed(url: string, slackApiUrl: string): boolean {
  let target: URL;
  let api: URL;
  try {
    target = new URL(url);
    api = new URL(slackApiUrl);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  if (target.protocol === 'https:' && (SLACK_RESPONSE_HOSTS as readonly string[]).includes(target.hostname))
    return target.port === '' || target.port === '443';
  return target.protocol === api.protocol && target.host === api.host;
}
