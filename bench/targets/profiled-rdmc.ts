import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startServer } from '../../src/server.js';
import { BENCH_KEY } from './rdmc.js';

/**
 * rdmc in a process of its own with the V8 CPU profiler on call (`node --cpu-prof` writes
 * its profile only at a clean exit, and covers start-up too). The first SIGUSR2 starts the
 * profile, the second writes it to `out` and ends the process.
 * Arguments: port, database (SQLite path or postgres:// URL), output file.
 */
const [port, db, out] = process.argv.slice(2) as [string, string, string];
const session = new Session();
session.connect();
await session.post('Profiler.enable');
// 100 µs between samples: fine enough for sub-millisecond requests.
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await startServer({
  host: '127.0.0.1',
  port: Number(port),
  db,
  accessKeys: [{ accessKeyId: BENCH_KEY.accessKeyId, accessKeySecret: BENCH_KEY.accessKeySecret, accountId: BENCH_KEY.accountId }],
  asyncMode: 'immediate',
  logLevel: 'warn',
});
let profiling = false;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = true;
    void session.post('Profiler.start');
    return;
  }
  void session
    .post('Profiler.stop')
    .then(({ profile }) => writeFile(out, JSON.stringify(profile)))
    .finally(() => process.exit(0));
});
