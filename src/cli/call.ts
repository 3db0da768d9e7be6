import { callAction, RpcError, type ClientOptions } from '../client/rpc.js';
import { DEFAULT_ACCESS_KEY } from '../config/settings.js';
import { PRODUCT_OF_VERSION, RESOURCE_DIRECTORY_MASTER_VERSION } from '../domain/api-versions.js';

const VERSIONS = Object.entries(PRODUCT_OF_VERSION).map(([version, product]) => `${version} (${product})`).join(', ');

export const CALL_USAGE = `usage: rdmc call <Action> [--Param value ...] [--version VERSION] [--v1] [--endpoint URL]
                 [--access-key-id ID] [--access-key-secret SECRET]

Calls one action of the API, signed (v3 ACS3-HMAC-SHA256 unless --v1 asks for v1 HMAC-SHA1),
and prints the JSON answer. On an error it prints "Code: Message" on stderr and exits 1.

  --Param value    An action parameter (PascalCase, as in the API). Repeat a flag for a list:
                   --MessageTypes AccountExpenses --MessageTypes SecurityMessage
  --endpoint URL   Default: RDMC_ENDPOINT, else http://127.0.0.1:8080.
  --access-key-id, --access-key-secret
                   Default: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, else the
                   first key of RDMC_ACCESS_KEYS, else the development key (rdmc-default-key).
  --version VERSION, --Version VERSION
                   The API version, which names the product: ${VERSIONS}.
                   Default: ${RESOURCE_DIRECTORY_MASTER_VERSION}. Sent as the x-acs-version header (v3) or the
                   Version parameter (v1), as that product's SDKs send it.
  --v1             Sign with signature v1 instead of v3.

Examples:
  rdmc call AddMessageContact --Name tom --EmailAddress tom@example.com \\
    --Title TechnicalDirector --MessageTypes AccountExpenses
  rdmc call GetCallerIdentity --version 2015-04-01
  rdmc call GetResourceDirectory --version 2020-03-31`;

export class UsageError extends Error {}

interface CallArgs {
  action: string;
  params: Record<string, string[]>;
  options: Partial<ClientOptions>;
}

/** Reads `<Action> --Param value …`: PascalCase flags are parameters, lower-case ones rdmc's own. */
export function parseCallArgs(argv: string[]): CallArgs {
  const [action, ...rest] = argv;
  if (!action || !/^[A-Z][A-Za-z0-9]*$/.test(action)) throw new UsageError(`expected an action name such as GetResourceDirectory, got ${action === undefined ? 'nothing' : `"${action}"`}`);
  const params: Record<string, string[]> = {};
  const options: Partial<ClientOptions> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--v1') {
      options.signature = 'v1';
      continue;
    }
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}" (parameters are --Name value)`);
    const name = match[1]!;
    let value = match[2];
    if (value === undefined) {
      if (i + 1 >= rest.length) throw new UsageError(`--${name} needs a value`);
      value = rest[++i]!;
    }
    // `Version` names the product, not a parameter of the action: it travels where the SDKs put it.
    if (name === 'version' || name === 'Version') options.version = knownVersion(value);
    else if (/^[A-Z]/.test(name)) (params[name] ??= []).push(value);
    else if (name === 'endpoint') options.endpoint = value;
    else if (name === 'access-key-id') options.accessKeyId = value;
    else if (name === 'access-key-secret') options.accessKeySecret = value;
    else throw new UsageError(`--${name}: unknown flag (parameters are PascalCase; rdmc call --help lists the flags)`);
  }
  return { action, params, options };
}

function knownVersion(version: string): string {
  if (!Object.hasOwn(PRODUCT_OF_VERSION, version)) throw new UsageError(`--version: "${version}" is not a version rdmc serves; one of ${VERSIONS}`);
  return version;
}

/** Flags, then the environment, then the local server and the development key. */
export function clientOptions(given: Partial<ClientOptions>, env: NodeJS.ProcessEnv): ClientOptions {
  const firstServerKey = env.RDMC_ACCESS_KEYS?.split(',')[0]?.trim().split(':');
  const [serverKeyId, serverKeySecret] = firstServerKey?.length === 3 ? firstServerKey : [];
  const endpoint = given.endpoint ?? env.RDMC_ENDPOINT ?? 'http://127.0.0.1:8080';
  return {
    endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`,
    accessKeyId: given.accessKeyId ?? env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? serverKeyId ?? DEFAULT_ACCESS_KEY.accessKeyId,
    accessKeySecret: given.accessKeySecret ?? env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? serverKeySecret ?? DEFAULT_ACCESS_KEY.accessKeySecret,
    signature: given.signature ?? 'v3',
    version: given.version ?? RESOURCE_DIRECTORY_MASTER_VERSION,
  };
}

/** `rdmc call`: the exit code, after printing the answer or the error. */
export async function call(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { action, params, options } = parseCallArgs(argv);
  const client = clientOptions(options, env);
  const flat = Object.fromEntries(Object.entries(params).map(([name, values]) => [name, values.length === 1 ? values[0]! : values]));
  try {
    console.log(JSON.stringify(await callAction(client, action, flat), null, 2));
    return 0;
  } catch (err) {
    if (err instanceof RpcError) {
      console.error(err.message);
      return 1;
    }
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    console.error(`rdmc call: cannot reach ${client.endpoint}${cause ? ` (${cause})` : ''}; is rdmc serve running there?`);
    return 1;
  }
}
