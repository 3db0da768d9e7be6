import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, PROJECT_ROOT, cleanEnv } from '../helpers/spawn.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rdmc-db-path-'));
  // Readable by the unprivileged user the permission case runs as.
  await chmod(dir, 0o755);
});
after(() => rm(dir, { recursive: true, force: true }));

/** `rdmc serve --db PATH`, as another user when given (root cannot be refused a file). */
function serve(db: string, user?: { uid: number; gid: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', db], { cwd: PROJECT_ROOT, env: cleanEnv(), ...user });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a --db SQLite cannot open names the path and the cause: a folder, a file in the path', async () => {
  const folder = join(dir, 'a-folder');
  await mkdir(folder);
  const isFolder = await serve(folder);
  assert.deepEqual(isFolder, { code: 1, stdout: '', stderr: `rdmc: failed to start: cannot open the SQLite database ${folder}: it is a folder, not a file (EISDIR)\n` });

  const file = join(dir, 'a-file');
  await writeFile(file, 'not a folder');
  const underFile = await serve(join(file, 'rdmc.sqlite'));
  assert.deepEqual(underFile, {
    code: 1,
    stdout: '',
    stderr: `rdmc: failed to start: cannot open the SQLite database ${join(file, 'rdmc.sqlite')}: a part of its path is a file, not a folder (ENOTDIR)\n`,
  });
});

test('a --db in a folder this user may not write says permission denied', async () => {
  const locked = join(dir, 'locked');
  await mkdir(locked);
  await chmod(locked, 0o555);
  const asRoot = process.getuid?.() === 0;
  const denied = await serve(join(locked, 'rdmc.sqlite'), asRoot ? { uid: 65534, gid: 65534 } : undefined);
  assert.deepEqual(denied, {
    code: 1,
    stdout: '',
    stderr: `rdmc: failed to start: cannot open the SQLite database ${join(locked, 'rdmc.sqlite')}: permission denied (EACCES)\n`,
  });
});
