import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export type LogLine = Record<string, any> & { msg: string };

/** A logger whose JSON lines a test reads back: `lines` fills as the server logs. */
export function capturedLog(level: 'debug' | 'info' = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
