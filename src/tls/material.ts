import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { settingLabel } from '../config/settings.js';
import { openLocalCa } from './local-ca.js';

/** What the HTTPS server presents: a certificate chain and its private key, in PEM. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

type TlsConfig = Pick<Config, 'tlsPort' | 'tlsCert' | 'tlsKey' | 'tlsCaDir' | 'tlsNames' | 'host' | 'publicUrl'>;

/** Addresses that accept connections on every interface: not names a client connects to. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The names of the local authority's server certificate: loopback's, this machine's, the
 * listen address, RDMC_PUBLIC_URL's host and RDMC_TLS_NAMES, each once.
 */
export function serverNames(config: TlsConfig): string[] {
  const names = ['localhost', '127.0.0.1', '::1', hostname().toLowerCase()];
  if (!WILDCARDS.has(config.host)) names.push(config.host.replace(/^\[(.*)\]$/, '$1'));
  if (config.publicUrl !== undefined) names.push(new URL(config.publicUrl).hostname.replace(/^\[(.*)\]$/, '$1'));
  for (const name of config.tlsNames?.split(',') ?? []) if (name.trim()) names.push(name.trim().toLowerCase());
  return [...new Set(names)];
}

async function readPem(name: 'tlsCert' | 'tlsKey', path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${settingLabel(name)}: cannot read ${resolve(path)}: ${(err as Error).message}`]);
  }
}

function parsed<T>(name: 'tlsCert' | 'tlsKey', path: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new ConfigError([`${settingLabel(name)}: ${resolve(path)} holds no ${what} in PEM (${(err as Error).message})`]);
  }
}

/** The operator's certificate and key, checked now so that a wrong pair stops the start, not the first handshake. */
async function givenFiles(certPath: string, keyPath: string, log: Logger): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readPem('tlsCert', certPath), readPem('tlsKey', keyPath)]);
  const certificate = parsed('tlsCert', certPath, 'certificate', () => new X509Certificate(cert));
  const privateKey: KeyObject = parsed('tlsKey', keyPath, 'private key', () => createPrivateKey(key));
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError([`${settingLabel('tlsKey')}: the key in ${resolve(keyPath)} does not belong to the certificate in ${resolve(certPath)}`]);
  }
  const facts = { cert: resolve(certPath), subject: certificate.subject, validTo: certificate.validTo, fingerprint: certificate.fingerprint256 };
  const now = Date.now();
  if (Date.parse(certificate.validTo) < now || Date.parse(certificate.validFrom) > now) log.warn(facts, 'the HTTPS certificate is not valid now: clients will refuse it');
  else log.info(facts, 'HTTPS certificate');
  return { cert, key };
}

/**
 * What HTTPS serves, or null without an HTTPS port: the given certificate and key, or else
 * a certificate of the local authority in `tlsCaDir` (made on first use), whose path and
 * fingerprint are logged so that clients can be told what to trust.
 */
export async function tlsMaterial(config: TlsConfig, log: Logger): Promise<TlsMaterial | null> {
  if (config.tlsPort === undefined) return null;
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) return givenFiles(config.tlsCert, config.tlsKey, log);
  const ca = await openLocalCa(config.tlsCaDir).catch((err: unknown) => {
    throw new ConfigError([`${settingLabel('tlsCaDir')}: the local certificate authority in ${resolve(config.tlsCaDir)}: ${(err as Error).message}`]);
  });
  const names = serverNames(config);
  log.info(
    { caCert: resolve(ca.certPath), fingerprint: ca.fingerprint, names },
    ca.created ? 'created a local certificate authority: trust its certificate (rdmc tls ca prints it)' : 'local certificate authority',
  );
  return ca.issue(names);
}
