#!/usr/bin/env node
/**
 * Writes the databases an older release of rdmc leaves behind, for
 * test/storage/upgrade-from-old-releases.test.ts: one SQLite file and one PostgreSQL dump, made
 * by the release itself through its API, and the answers it gave to a set of reads.
 *
 *   git worktree add --detach /tmp/old/<commit> <commit>
 *   (cd /tmp/old/<commit> && npm ci)        # or copy node_modules, then: npx tsc -p tsconfig.json
 *   node scripts/make-old-release-fixture.mjs /tmp/old/<commit> <commit>
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and pg_dump. Writes test/fixtures/old-releases/<commit>/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const [releaseDir, commit] = process.argv.slice(2);
if (!releaseDir || !commit) throw new Error('usage: make-old-release-fixture.mjs <built checkout of the release> <commit>');
const release = resolve(releaseDir);
const out = resolve('test/fixtures/old-releases', commit);
const { startServer, callAction, DEFAULT_ACCESS_KEY } = await import(join(release, 'dist/src/index.js'));

/** The fixture's time: the clock runs from here, so the records' times are the same at every run of this script. */
const BASE = Date.parse('2026-12-01T00:00:00.000Z');
const started = Date.now();
const clock = {
  now: () => BASE + (Date.now() - started),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms).unref();
    return () => clearTimeout(timer);
  },
};

/** What the release is asked to write: a directory with folders, members, tags and contacts in every state. */
async function write(call, setAsyncMode) {
  const dir = (await call('GetResourceDirectory')).ResourceDirectory;
  const root = dir.RootFolderId;
  const ops = (await call('CreateFolder', { FolderName: 'Operations', ParentFolderId: root })).Folder.FolderId;
  const billing = (await call('CreateFolder', { FolderName: 'Billing', ParentFolderId: ops })).Folder.FolderId;
  const alpha = (await call('CreateResourceAccount', { DisplayName: 'alpha', ParentFolderId: ops })).Account.AccountId;
  const beta = (await call('CreateResourceAccount', { DisplayName: 'beta', ParentFolderId: billing })).Account.AccountId;
  const gamma = (await call('CreateResourceAccount', { DisplayName: 'gamma' })).Account.AccountId;
  await call('TagResources', { ResourceType: 'Account', 'ResourceId.1': alpha, 'ResourceId.2': beta, 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
  const contact = async (Name, extra = {}) =>
    (await call('AddMessageContact', { Name, Title: 'TechnicalDirector', EmailAddress: `${Name.toLowerCase()}@example.com`, MessageTypes: ['AccountExpenses'], ...extra })).Contact.ContactId;
  const ada = await contact('Ada', { PhoneNumber: '86-13900001234' });
  const bob = await contact('Bob', { MessageTypes: ['AccountExpenses', 'FaultMessage'] });
  const cy = await contact('Cy');
  const dee = await contact('Dee');
  await call('AssociateMembers', { ContactId: ada, Members: [dir.ResourceDirectoryId] });
  await call('AssociateMembers', { ContactId: bob, Members: [ops, gamma] });
  await call('UpdateMessageContact', { ContactId: bob, EmailAddress: 'bob.new@example.com' });
  await call('SendEmailVerificationForMessageContact', { ContactId: bob, EmailAddress: 'bob.new@example.com' });
  await call('AssociateMembers', { ContactId: dee, Members: [beta] });
  // Dee's deletion runs to its end; Cy's waits in the queue (a held job), as the upgrade finds it.
  await call('DeleteMessageContact', { ContactId: dee, RetainContactInMembers: true });
  await setAsyncMode('manual');
  await call('DeleteMessageContact', { ContactId: cy, RetainContactInMembers: false });
  return { dir: dir.ResourceDirectoryId, root, folders: [ops, billing], accounts: [alpha, beta, gamma], contacts: [ada, bob, cy, dee] };
}

/** The reads whose answers the upgraded database must give again, unchanged. */
export function reads(ids) {
  return [
    ['GetResourceDirectory', {}],
    ['ListFoldersForParent', { ParentFolderId: ids.root }],
    ['ListFoldersForParent', { ParentFolderId: ids.folders[0] }],
    ...ids.folders.map((FolderId) => ['GetFolder', { FolderId }]),
    ['ListAccounts', {}],
    ...ids.accounts.map((AccountId) => ['GetAccount', { AccountId }]),
    ['ListAncestors', { ChildId: ids.folders[1] }],
    ['ListTagResources', { ResourceType: 'Account' }],
    ['ListMessageContacts', {}],
    ...ids.contacts.map((ContactId) => ['GetMessageContact', { ContactId }]),
    ['ListMessageContactVerifications', {}],
    ...ids.contacts.map((ContactId) => ['GetMessageContactDeletionStatus', { ContactId }]),
  ];
}

async function record(db) {
  const server = await startServer({ host: '127.0.0.1', port: 0, db, asyncMode: 'immediate', logLevel: 'silent' }, { clock });
  try {
    const call = async (action, params = {}) => {
      const body = await callAction({ endpoint: server.url, accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, accessKeySecret: DEFAULT_ACCESS_KEY.accessKeySecret }, action, { Version: '2022-04-19', ...params }).catch((err) => ({ error: { code: err.code, message: err.message } }));
      delete body.RequestId;
      return body;
    };
    const setAsyncMode = async (Mode) => {
      const res = await fetch(`${server.url}/_rdmc/async`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Mode }) });
      if (!res.ok) throw new Error(`PUT /_rdmc/async: ${res.status} ${await res.text()}`);
    };
    const ids = await write(async (action, params) => {
      const body = await call(action, params);
      if (body.error) throw new Error(`${action}: ${JSON.stringify(body.error)}`);
      return body;
    }, setAsyncMode);
    const answers = [];
    for (const [action, params] of reads(ids)) answers.push({ action, params, answer: await call(action, params) });
    return { ids, answers, now: clock.now() };
  } finally {
    await server.close();
  }
}

mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'rdmc-fixture-'));
try {
  const file = join(scratch, 'rdmc.db');
  const sqlite = await record(file);
  // One file: the write-ahead log is folded in when the server closes.
  copyFileSync(file, join(out, 'sqlite.db'));
  const name = `rdmc_fixture_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const postgres = await record(`postgres://postgres@127.0.0.1:5432/${name}`);
    const dump = execFileSync('pg_dump', ['--no-owner', '--no-privileges', '--inserts', '-h', '127.0.0.1', '-U', 'postgres', name], { maxBuffer: 64 << 20 });
    writeFileSync(join(out, 'postgres.sql'), dump);
    writeFileSync(join(out, 'expected.json'), `${JSON.stringify({ commit, sqlite, postgres }, null, 1)}\n`);
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`wrote ${out}`);
