import net from 'node:net';

/** A TCP proxy on loopback between a test's client and PostgreSQL, to break the line as networks do. */
export interface PostgresProxy {
  /** `url` with the proxy's port: connect through it. */
  url: string;
  /** Resets every connection through it (a failover, a firewall): both ends see a socket error. */
  reset(): void;
  /** Passes nothing on any more and closes nothing, as a network that dropped the server does. */
  goSilent(): void;
  close(): Promise<void>;
}

export async function startPostgresProxy(url: string): Promise<PostgresProxy> {
  const server = new URL(url);
  const clients = new Set<net.Socket>();
  const pairs: [net.Socket, net.Socket][] = [];
  const proxy = net.createServer((client) => {
    clients.add(client);
    const upstream = net.connect(Number(server.port || 5432), server.hostname);
    pairs.push([client, upstream]);
    client.pipe(upstream).pipe(client);
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('close', () => {
      clients.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const through = new URL(url);
  through.port = String((proxy.address() as net.AddressInfo).port);
  return {
    url: through.toString(),
    reset: () => {
      for (const client of clients) client.resetAndDestroy();
    },
    goSilent: () => {
      for (const [client, upstream] of pairs) {
        client.unpipe();
        upstream.unpipe();
      }
    },
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
