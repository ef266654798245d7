import net from 'node:net';

/**
 * A TCP proxy between a server process and PostgreSQL, to take PostgreSQL away from that process
 * alone (the machine's PostgreSQL is shared with other tests and is never stopped): `cut()`
 * destroys every connection through it and stops listening, so new connections are refused, as
 * when PostgreSQL is down; `restore()` listens again on the same port.
 */
export interface TcpProxy {
  readonly port: number;
  /** `url` (postgres://…) with its host and port replaced by the proxy's */
  via(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** connections currently open through it */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', drop);
      s.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  let listening = true;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve()); // resolves once every connection is gone: destroyed below
      for (const s of sockets) s.destroy();
      sockets.clear();
    });
  return {
    port,
    via(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut: stopListening,
    async restore() {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    get open() {
      return sockets.size / 2;
    },
    close: stopListening,
  };
}
