import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { productionNodeFlags } from './production-command.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bot with production's Node flags (src/main.ts through tsx), in a child process the test can kill outright. */
export class ChildBot {
  private output = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(env: Record<string, string>): Promise<ChildBot> {
    const child = spawn(process.execPath, [...productionNodeFlags(), '--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 45_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const started = /"port":(\d+).*pra-upgrade is running/.exec(output);
        if (started?.[1]) {
          clearTimeout(timer);
          resolve(Number(started[1]));
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bot exited with ${code}:\n${output}`));
      });
    });
    const bot = new ChildBot(child, port);
    bot.output = output;
    child.stdout?.on('data', (chunk: Buffer) => {
      bot.output += chunk.toString();
    });
    return bot;
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.port}/slack/events`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  /** SIGKILL: no shutdown, no draining, as when the machine goes away. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, and wait for the orderly shutdown. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
