import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../src/config/schema.js';
import { openLocalCa } from '../../src/tls/local-ca.js';
import { startTestServer, type TestServer } from './server.js';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting `ca` only (Node's fetch takes no authority of its own). */
export function httpsRequest(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * A certificate authority of the test's own (made by rdmc's local authority code in `dir`)
 * and a server certificate of it for loopback, written as PEM files: what an operator
 * brings to `--tls-cert` and `--tls-key`, or to a proxy in front.
 */
export async function issuedFiles(dir: string, names: string[] = ['localhost', '127.0.0.1']): Promise<{ caPem: string; certPath: string; keyPath: string }> {
  const ca = await openLocalCa(join(dir, 'authority'));
  const { cert, key } = ca.issue(names);
  const certPath = join(dir, 'server.pem');
  const keyPath = join(dir, 'server-key.pem');
  await writeFile(certPath, cert);
  await writeFile(keyPath, key, { mode: 0o600 });
  return { caPem: ca.certPem, certPath, keyPath };
}

export interface HttpsTestServer extends TestServer {
  /** The local authority's certificate: the PEM file a client's process trusts, and its text. */
  caFile: string;
  caPem: string;
}

/**
 * A test server serving HTTPS beside HTTP (`server.https`), with a certificate of a local
 * authority of its own, made in a temporary folder that `stop()` removes.
 */
export async function startHttpsTestServer(extra: Partial<ConfigInput> = {}): Promise<HttpsTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-https-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  const server = await startTestServer({ tlsPort: 0, tlsCaDir: dir, ...extra }).catch(async (err: unknown) => {
    await removeDir();
    throw err;
  });
  const caFile = join(dir, 'ca.pem');
  const stopServer = server.stop;
  return Object.assign(server, {
    caFile,
    caPem: await readFile(caFile, 'utf8'),
    async stop() {
      await stopServer();
      await removeDir();
    },
  });
}
