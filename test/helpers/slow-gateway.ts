import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An SMS gateway that records each number it is asked to text and accepts only after a delay. */
export interface SlowGateway {
  /** The webhook URL to configure (`RDMC_SMS_WEBHOOK_URL`). */
  url: string;
  /** The numbers asked for, in arrival order: a send made twice shows twice. */
  hits: string[];
  close(): Promise<void>;
}

/**
 * A gateway slower than a job's stale-lock time: a send goes out once only if the worker
 * making it keeps its lock for the whole wait (cluster tests of heartbeats and clocks).
 */
export function slowSmsGateway(delayMs: number): Promise<SlowGateway> {
  return smsGateway(() => new Promise((resolve) => setTimeout(resolve, delayMs)));
}

/** A gateway that records each number asked for and accepts once `accept()` resolves. */
async function smsGateway(accept: () => Promise<void>): Promise<SlowGateway> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push(JSON.parse(body).To);
      void accept().then(() => res.writeHead(202).end('{}'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A gateway that accepts nothing until the test releases it: a send waits on an event, not on a delay. */
export interface HeldGateway extends SlowGateway {
  /** Accepts every send held so far, and every later one at once. */
  release(): void;
}

export async function heldSmsGateway(): Promise<HeldGateway> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const gateway = await smsGateway(() => released);
  return { ...gateway, release };
}

/**
 * How a node of such a cluster test is spawned: sharing `db`, sending SMS through `gateway`,
 * with a 1 s stale-lock time the gateway outlasts, and jobs run as soon as they are committed.
 */
export function slowSendNode(db: string, gateway: SlowGateway, accessKeys: string): { args: string[]; env: Record<string, string> } {
  return {
    args: ['--db', db, '--pg-pool-size', '4', '--async-mode', 'delay', '--async-delay-ms', '0', '--log-level', 'info'],
    env: {
      RDMC_ACCESS_KEYS: accessKeys,
      RDMC_JOB_STALE_LOCK_MS: '1000',
      RDMC_SMS_WEBHOOK_URL: gateway.url,
      RDMC_SMS_WEBHOOK_SECRET: 'gateway-secret',
    },
  };
}
