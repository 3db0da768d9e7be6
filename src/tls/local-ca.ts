import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/** The authority's files in its folder: the key with the certificate after it (0600), and the certificate alone, to trust. */
export const CA_BUNDLE_FILE = 'ca-key.pem';
export const CA_CERT_FILE = 'ca.pem';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Long enough never to be renewed in practice; trusting it is a step an operator takes once. */
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
/** What browsers accept of a server certificate (398 days at most); a node issues a new one at every start. */
const SERVER_LIFETIME_MS = 397 * DAY_MS;
/** Clients whose clock is behind the node's still accept a certificate issued a moment ago. */
const BACKDATE_MS = HOUR_MS;

export interface LocalCa {
  /** The folder and the certificate's file, as the start-up log and `rdmc tls ca` print them. */
  dir: string;
  certPath: string;
  certPem: string;
  /** SHA-256 of the certificate, colon-separated hex as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
  /** Whether this call made the authority (false: it was there already, made by this node or another). */
  created: boolean;
  /** A server certificate for `names` (host names and IP addresses), signed by the authority, and its key. */
  issue(names: readonly string[]): { cert: string; key: string };
}

/** A fresh RSA key pair, made by Node's own crypto (forge's is pure JavaScript, and slow), in forge's form. */
function keyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const key = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

/** A positive serial number of 128 random bits, as CAs are asked to use (RFC 5280 4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function certificate(publicKey: forge.pki.PublicKey, lifetimeMs: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + lifetimeMs);
  return cert;
}

/** A self-signed authority that may sign server certificates only (no intermediates under it). */
function newAuthority(): string {
  const keys = keyPair();
  const cert = certificate(keys.publicKey, CA_LIFETIME_MS);
  // The machine and the day in the name tell one rdmc authority from another in a trust store.
  const subject = [
    { name: 'commonName', value: `rdmc local CA ${hostname()} ${new Date().toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'rdmc' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.privateKeyToPem(keys.privateKey) + forge.pki.certificateToPem(cert);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A subjectAltName entry: an IP address (type 7) or a DNS name (type 2). */
function altName(name: string): { type: number; ip?: string; value?: string } {
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  return IPV4.test(bare) || bare.includes(':') ? { type: 7, ip: bare } : { type: 2, value: bare };
}

/** The one PEM block of `label` in the bundle (forge reads a file's first block only). */
function pemBlock(bundle: string, label: RegExp): string {
  const block = new RegExp(`-----BEGIN (${label.source})-----[^-]+-----END \\1-----`).exec(bundle)?.[0];
  if (!block) throw new Error(`no ${label.source} block`);
  return block;
}

function issuer(bundle: string): LocalCaKeys {
  const key = forge.pki.privateKeyFromPem(pemBlock(bundle, /(?:RSA )?PRIVATE KEY/)) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.certificateFromPem(pemBlock(bundle, /CERTIFICATE/));
  return { key, cert };
}

interface LocalCaKeys {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
}

function issueServerCertificate(ca: LocalCaKeys, names: readonly string[]): { cert: string; key: string } {
  const keys = keyPair();
  const cert = certificate(keys.publicKey, SERVER_LIFETIME_MS);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map(altName) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

const isCode = (err: unknown, code: string) => (err as NodeJS.ErrnoException).code === code;

/**
 * Writes a new authority into `dir` unless one is there. The bundle (key and certificate in
 * one file) is linked into place, which fails when the file exists: of nodes sharing the
 * folder and starting at once, one makes the authority and the others read it, and no node
 * ever reads half a file.
 */
async function createUnlessPresent(dir: string): Promise<boolean> {
  const bundlePath = join(dir, CA_BUNDLE_FILE);
  const draft = join(dir, `.${CA_BUNDLE_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(draft, newAuthority(), { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, bundlePath);
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw err;
  } finally {
    await unlink(draft);
  }
}

/** The certificate alone, beside the bundle, rewritten (atomically) only when it differs. */
async function writeCertificate(path: string, pem: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch((err: unknown) => (isCode(err, 'ENOENT') ? null : Promise.reject(err)));
  if (current === pem) return;
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, pem, { mode: 0o644 });
  await rename(draft, path);
}

/**
 * The local certificate authority kept in `dir`: made on first use (the folder too, 0700),
 * then read as it is at every start, so its certificate, trusted once, stays valid across
 * restarts and for every node that shares the folder.
 */
export async function openLocalCa(dir: string): Promise<LocalCa> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const bundlePath = join(dir, CA_BUNDLE_FILE);
  const created = await createUnlessPresent(dir);
  const bundle = await readFile(bundlePath, 'utf8');
  let keys: LocalCaKeys;
  try {
    keys = issuer(bundle);
  } catch (err) {
    throw new Error(`${bundlePath} must hold the authority's RSA private key and then its certificate, in PEM: ${(err as Error).message}`);
  }
  const certPem = forge.pki.certificateToPem(keys.cert);
  const certPath = join(dir, CA_CERT_FILE);
  await writeCertificate(certPath, certPem);
  // A file restored from a copy may have lost its mode: the key is for this user alone.
  if ((await stat(bundlePath)).mode & 0o077) await chmod(bundlePath, 0o600);
  return {
    dir,
    certPath,
    certPem,
    fingerprint: new X509Certificate(certPem).fingerprint256,
    created,
    issue: (names) => issueServerCertificate(keys, names),
  };
}
