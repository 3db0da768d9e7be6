import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
import { openApiClient } from '../helpers/clients.js';
import { capturedLog } from '../helpers/log.js';
import { startTestServer, KEYS } from '../helpers/server.js';
import { CLI, cleanEnv, PROJECT_ROOT } from '../helpers/spawn.js';
import { httpsRequest, issuedFiles } from '../helpers/tls.js';

const run = promisify(execFile);
let temp: string;
before(async () => (temp = await mkdtemp(join(tmpdir(), 'rdmc-tls-'))));
after(() => rm(temp, { recursive: true, force: true }));

/** The directory's ID, which every caller of the main key sees alike over either port. */
const directoryId = async (call: ReturnType<typeof openApiClient>) => (await call('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId as string;

test('the local certificate authority: made on first start, kept across restarts, trusted by an official client, curl and rdmc call', async () => {
  const caDir = join(temp, 'local-ca');
  const first = capturedLog();
  let server = await startTestServer({ tlsPort: 0, tlsCaDir: caDir }, { logger: first.logger });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.https?.url ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.https!.port, server.port);
    const caPem = await readFile(join(caDir, 'ca.pem'), 'utf8');
    const fingerprint = new X509Certificate(caPem).fingerprint256;
    assert.equal((await stat(join(caDir, 'ca-key.pem'))).mode & 0o777, 0o600, 'the key is for its owner alone');
    assert.equal((await stat(caDir)).mode & 0o777, 0o700);
    const made = first.lines.find((l) => l.msg.startsWith('created a local certificate authority'));
    assert.equal(made?.fingerprint, fingerprint, 'the start-up log names the authority by its fingerprint');
    assert.equal(made?.caCert, join(caDir, 'ca.pem'));
    assert.ok(!JSON.stringify(first.lines).includes('PRIVATE KEY'), 'no key material in the log');

    // One pipeline behind both ports: the official client over HTTPS, the same answer over HTTP.
    const secure = openApiClient(server.https!.url, KEYS.main, 'v3', caPem);
    const id = await directoryId(secure);
    assert.equal(await directoryId(openApiClient(server.url)), id);
    assert.equal((await openApiClient(server.https!.url, KEYS.main, 'v1', caPem)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, id);
    const rpc = first.lines.filter((l) => l.msg === 'rpc').map((l) => l.tls);
    assert.deepEqual(rpc, [true, false, true], 'the request log tells HTTPS requests from HTTP ones');

    // The admin API and the console answer loopback over HTTPS as over HTTP.
    assert.equal(JSON.parse((await httpsRequest(`${server.https!.url}/_rdmc/health`, caPem)).body).Status, 'ok');
    const page = await httpsRequest(`${server.https!.url}/_rdmc/console`, caPem);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);

    // curl checks the certificate's names too: localhost as well as 127.0.0.1.
    const port = server.https!.port;
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', join(caDir, 'ca.pem'), `https://localhost:${port}/_rdmc/health`]);
    assert.equal(JSON.parse(stdout).Status, 'ok');
    await assert.rejects(run('curl', ['-sS', '--fail', `https://localhost:${port}/_rdmc/health`]), /certificate/, 'curl without the authority refuses');

    // rdmc call, trusting the authority through NODE_EXTRA_CA_CERTS as docs/operations.md says.
    const called = await run(process.execPath, [CLI, 'call', 'GetResourceDirectory', '--endpoint', server.https!.url], {
      cwd: PROJECT_ROOT,
      env: cleanEnv({ NODE_EXTRA_CA_CERTS: join(caDir, 'ca.pem'), ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.main.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.main.accessKeySecret }),
    });
    assert.equal(JSON.parse(called.stdout).ResourceDirectory.ResourceDirectoryId, id);

    // A restart keeps the authority: clients that trust it keep working.
    const second = capturedLog();
    const database = server.database;
    await server.close();
    server = await startTestServer({ tlsPort: 0, tlsCaDir: caDir }, { logger: second.logger }, database);
    assert.equal(await readFile(join(caDir, 'ca.pem'), 'utf8'), caPem);
    const kept = second.lines.find((l) => l.msg === 'local certificate authority');
    assert.equal(kept?.fingerprint, fingerprint);
    assert.equal(await directoryId(openApiClient(server.https!.url, KEYS.main, 'v3', caPem)), id);

    // rdmc tls ca exports the same certificate.
    const exported = await run(process.execPath, [CLI, 'tls', 'ca', '--tls-ca-dir', caDir], { cwd: PROJECT_ROOT, env: cleanEnv() });
    assert.equal(exported.stdout, caPem);
    assert.ok(exported.stderr.includes(fingerprint));
  } finally {
    await server.stop();
  }
});

test('a given certificate and key, beside HTTP or alone; the local authority is then neither made nor read', async () => {
  const dir = join(temp, 'given');
  const { caPem, certPath, keyPath } = await issuedFiles(await mkdtemp(dir));
  const unused = join(temp, 'no-ca-here');
  const server = await startTestServer({ tlsPort: 0, tlsCert: certPath, tlsKey: keyPath, tlsCaDir: unused });
  try {
    const id = await directoryId(openApiClient(server.https!.url, KEYS.main, 'v3', caPem));
    assert.equal(await directoryId(openApiClient(server.url)), id);
    assert.equal(existsSync(unused), false);
  } finally {
    await server.stop();
  }
  const alone = await startTestServer({ http: false, tlsPort: 0, tlsCert: certPath, tlsKey: keyPath });
  try {
    assert.match(alone.url, /^https:\/\//, 'with HTTP off, the URL is the HTTPS one');
    assert.equal(alone.https?.url, alone.url);
    await directoryId(openApiClient(alone.url, KEYS.main, 'v3', caPem));
  } finally {
    await alone.stop();
  }
});

/** The problems a start refused with. */
async function refusal(settings: Record<string, unknown>): Promise<string[]> {
  const err = await startServer({ db: ':memory:', port: 0, logLevel: 'silent', ...settings }).then(
    async (server) => {
      await server.close();
      throw new Error('the start succeeded');
    },
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConfigError, String(err));
  return err.problems;
}

const problemsOf = (argv: string[]) => {
  try {
    loadConfig(argv, {});
  } catch (err) {
    return (err as ConfigError).problems;
  }
  return [];
};

test('a missing file, a file that is no PEM, or a key of another certificate stops the start with a message naming setting and file', async () => {
  const a = await issuedFiles(await mkdtemp(join(temp, 'pair-a')));
  const b = await issuedFiles(await mkdtemp(join(temp, 'pair-b')));
  const missing = join(temp, 'missing.pem');
  const text = join(temp, 'not-pem.txt');
  await writeFile(text, 'hello\n');

  const [noFile] = await refusal({ tlsPort: 0, tlsCert: missing, tlsKey: a.keyPath });
  assert.match(noFile!, new RegExp(`^tlsCert \\(--tls-cert, RDMC_TLS_CERT\\): cannot read ${missing}: ENOENT`));
  const [notPem] = await refusal({ tlsPort: 0, tlsCert: a.certPath, tlsKey: text });
  assert.match(notPem!, new RegExp(`^tlsKey \\(--tls-key, RDMC_TLS_KEY\\): ${text} holds no private key in PEM`));
  const [notCert] = await refusal({ tlsPort: 0, tlsCert: text, tlsKey: a.keyPath });
  assert.match(notCert!, /^tlsCert \(--tls-cert, RDMC_TLS_CERT\): .* holds no certificate in PEM/);
  assert.deepEqual(await refusal({ tlsPort: 0, tlsCert: a.certPath, tlsKey: b.keyPath }), [
    `tlsKey (--tls-key, RDMC_TLS_KEY): the key in ${b.keyPath} does not belong to the certificate in ${a.certPath}`,
  ]);

  // Settings that cannot work together are named before anything starts.
  assert.deepEqual(problemsOf(['--tls-port', '0', '--tls-cert', a.certPath]), ['tlsKey (--tls-key, RDMC_TLS_KEY): RDMC_TLS_CERT and RDMC_TLS_KEY go together: set both or neither']);
  assert.deepEqual(problemsOf(['--tls-cert', a.certPath, '--tls-key', a.keyPath]), ['tlsPort (--tls-port, RDMC_TLS_PORT): a certificate needs an HTTPS port: set RDMC_TLS_PORT (--tls-port)']);
  assert.deepEqual(problemsOf(['--no-http']), ['http (--no-http, RDMC_HTTP): with HTTP off (--no-http), set RDMC_TLS_PORT (--tls-port) or nothing is served']);

  // The CLI prints it as one message, no stack trace, and exits non-zero.
  const cli = await run(process.execPath, [CLI, 'serve', '--db', ':memory:', '--port', '0', '--tls-port', '0', '--tls-cert', a.certPath, '--tls-key', b.keyPath], {
    cwd: PROJECT_ROOT,
    env: cleanEnv(),
  }).then(
    () => assert.fail('rdmc serve started with a mismatched pair'),
    (e: { code: number; stderr: string }) => e,
  );
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /does not belong to the certificate/);
  assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
});

/** Resolves once the server has closed this connection (read to its end: a paused socket never sees it). */
const closedBy = (socket: Socket) => new Promise<void>((resolve) => socket.resume().once('close', () => resolve()));

test('garbage, plain HTTP, an untrusting client or a stalled handshake on the HTTPS port end that connection only', async () => {
  const { caPem, certPath, keyPath } = await issuedFiles(await mkdtemp(join(temp, 'hostile')));
  const server = await startTestServer({ tlsPort: 0, tlsCert: certPath, tlsKey: keyPath, requestTimeoutMs: 1_000 });
  try {
    const port = server.https!.port;
    const garbage = connectTcp(port, '127.0.0.1', () => garbage.write(Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x00, 0x01, 0x02, 0x03])));
    garbage.on('error', () => {});
    await closedBy(garbage);
    const plain = connectTcp(port, '127.0.0.1', () => plain.write('GET /_rdmc/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    plain.on('error', () => {});
    await closedBy(plain);
    // A client that does not trust the certificate gives up; the server goes on.
    await assert.rejects(httpsRequest(`${server.https!.url}/_rdmc/health`, ''), /certificate|self.signed|issuer/i);
    // A client that connects and never says hello is cut off (requestTimeoutMs bounds the handshake).
    const silent = connectTcp(port, '127.0.0.1');
    silent.on('error', () => {});
    await closedBy(silent);
    // A connection that completes its handshake and sends no request, likewise.
    const idle = connectTls({ host: '127.0.0.1', port, ca: caPem, servername: 'localhost' });
    idle.on('error', () => {});
    await closedBy(idle);
    await directoryId(openApiClient(server.https!.url, KEYS.main, 'v3', caPem));
  } finally {
    await server.stop();
  }
});
