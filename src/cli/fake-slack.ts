// `npm run fake-slack`: the fake Slack Web API on loopback, for running `npm start` in HTTP mode locally.
import { FakeSlack } from '../fake-slack/index.js';

const port = Number(process.env.FAKE_SLACK_PORT ?? 3999);
const fake = await FakeSlack.start({
  port,
  users: [
    { id: 'UALICE', name: 'alice', tz: 'Europe/Amsterdam' },
    { id: 'UBOB', name: 'bob', tz: 'America/New_York' },
  ],
});
process.stdout.write(`Fake Slack is listening on ${fake.url}
Run the bot against it in another terminal:

  SLACK_API_URL=${fake.apiUrl} SLACK_BOT_TOKEN=${fake.botToken} SLACK_SIGNING_SECRET=local-secret npm start

Check it is up: curl localhost:3000/healthz and /readyz. To walk a whole upgrade with people clicking,
run npm run demo (the bot, the fake Slack and the clicks in one process).
Ctrl-C stops it.
`);
process.on('SIGINT', () => {
  fake.stop().then(() => process.exit(0));
});
