import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeArgsError } from '../config/load.js';
import { SETTINGS } from '../config/settings.js';
import { openLocalCa } from '../tls/local-ca.js';
import { UsageError } from './call.js';

export const TLS_USAGE = `usage: rdmc tls ca [--tls-ca-dir DIR]

Prints the certificate of the local certificate authority in PEM on stdout (its path and
SHA-256 fingerprint on stderr), making the authority first if DIR has none: give it to the
clients that should trust rdmc's HTTPS (NODE_EXTRA_CA_CERTS, curl --cacert, a trust store).

  --tls-ca-dir DIR  Default RDMC_TLS_CA_DIR, else ./data/tls (as rdmc serve uses it).`;

/** `rdmc tls ca`: the one subcommand of `rdmc tls`. */
export async function tls(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'tls-ca-dir': { type: 'string' } } });
  } catch (err) {
    throw new UsageError(describeArgsError(err, 'tls'));
  }
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'ca' || extra.length > 0) throw new UsageError(`expected "rdmc tls ca", got "rdmc tls ${parsed.positionals.join(' ')}"`);
  const dir = parsed.values['tls-ca-dir'] || env.RDMC_TLS_CA_DIR || SETTINGS.tlsCaDir.schema.parse(undefined);
  const ca = await openLocalCa(dir);
  process.stderr.write(`${ca.created ? 'created' : 'local'} certificate authority ${resolve(ca.certPath)}\nSHA-256 fingerprint ${ca.fingerprint}\n`);
  process.stdout.write(ca.certPem);
}
