// The floor of the load benchmark: a bare Bolt app in HTTP mode that acks and does one parameterised
// INSERT, with the same signing secret and fake Slack as the bot. Started as its own process.
// FLOOR_ORDER=commit-first makes it INSERT and then ack (Bolt holding the answer until the listener
// returned), the bot's own rule since an acknowledged click must be a committed one.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import postgres from 'postgres';

const commitFirst = process.env.FLOOR_ORDER === 'commit-first';
const sql = postgres(process.env.DATABASE_URL ?? '', { max: 10, onnotice: () => {} });
await sql`create table if not exists bench_floor (id bigserial primary key, body text not null)`;
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  processBeforeResponse: commitFirst,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
const record = async (body: unknown) => {
  await sql`insert into bench_floor (body) values (${JSON.stringify(body)})`;
};
const handle = async ({ ack, body }: { ack: () => Promise<void>; body: unknown }) => {
  if (commitFirst) {
    await record(body);
    await ack();
  } else {
    await ack();
    await record(body);
  }
};
app.command('/pra-upgrade', handle);
app.action(/.*/, handle);
await app.start(Number(process.env.PORT));
console.log('floor ready');
process.on('SIGTERM', () => {
  void app
    .stop()
    .then(() => sql.end())
    .then(() => process.exit(0));
});
