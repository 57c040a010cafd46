/** A JSON response body, loosely typed so tests can assert on any field. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert shapes with expect(), not with the type checker.
export type JsonBody = any;

/** Reads a fetch response's JSON body. */
export async function bodyOf(res: Response): Promise<JsonBody> {
  return res.json();
}

/**
 * One raw HTTP/1.1 request over a plain socket, so a test can choose what fetch cannot: the Host header
 * (DNS rebinding) and which of this machine's addresses to connect to (a non-loopback peer). nock does not
 * see plain sockets, so this only ever reaches the app under test.
 */
export async function rawRequest(opts: {
  address: string;
  port: number;
  method?: string;
  path: string;
  host: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; body: string }> {
  const { connect } = await import('node:net');
  const body = opts.body ?? '';
  const head = [
    `${opts.method ?? 'GET'} ${opts.path} HTTP/1.1`,
    `Host: ${opts.host}`,
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.address, port: opts.port }, () =>
      socket.end(`${head}\r\n\r\n${body}`),
    );
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** This machine's first non-loopback IPv4 address, if it has one (a peer that is not loopback). */
export async function externalIPv4(): Promise<string | undefined> {
  const { networkInterfaces } = await import('node:os');
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}
