import net from 'node:net';

/**
 * A TCP proxy between a server process and PostgreSQL, to take PostgreSQL away from that process
 * alone (the machine's PostgreSQL is shared with other tests and is never stopped): `cut()`
 * destroys every connection through it and stops listening, so new connections are refused, as
 * when PostgreSQL is down; `restore()` listens again on the same port. `silence()` is the other
 * kind of partition: every byte either way is dropped and no close is passed on, on open and new
 * connections alike (no FIN, no RST: the sockets simply say nothing) until `speak()`.
 */
export interface TcpProxy {
  readonly port: number;
  /** `url` (postgres://…) with its host and port replaced by the proxy's */
  via(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  silence(): void;
  /** ends a silence: bytes flow again, and a connection either side closed meanwhile is closed */
  speak(): void;
  /** connections currently open through it */
  readonly open: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let silent = false;
  /** closes that happened during a silence, passed on when it ends */
  const heldCloses = new Set<() => void>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      heldCloses.delete(drop);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const closed = () => (silent ? heldCloses.add(drop) : drop());
    for (const s of [client, upstream]) {
      s.on('error', closed);
      s.on('close', closed);
    }
    client.on('data', (d) => void (silent || upstream.write(d)));
    upstream.on('data', (d) => void (silent || client.write(d)));
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
    silence() {
      silent = true;
    },
    speak() {
      silent = false;
      for (const d of [...heldCloses]) d();
    },
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
