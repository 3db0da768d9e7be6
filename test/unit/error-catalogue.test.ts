import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError, errors, ownErrors } from '../../src/domain/errors.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

test('no module but the catalogue builds an ApiError', () => {
  const src = join(PROJECT_ROOT, 'src');
  const builders = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && f !== join('domain', 'errors.ts'))
    .filter((f) => /new\s+ApiError\s*\(/.test(readFileSync(join(src, f), 'utf8')));
  assert.deepEqual(builders, []);
});

test('an ApiError built without the catalogue token is refused at run time too', () => {
  const Unchecked = ApiError as unknown as new (...args: unknown[]) => ApiError;
  assert.throws(() => new Unchecked(Symbol('forged'), 400, 'Forged', 'forged'), TypeError);
});

test('catalogue entries carry their status, code and origin', () => {
  assert.deepEqual(pick(errors.tagLimit()), { status: 400, code: 'LimitExceeded.Tag', origin: 'alibaba' });
  assert.deepEqual(pick(ownErrors.notFound('folder')), { status: 404, code: 'NotFound', origin: 'rdmc' });
  assert.equal(ownErrors.notFound('folder').message, 'No such folder.');
  assert.deepEqual(pick(ownErrors.refused({ status: 403, code: 'Forbidden', message: 'no' })), { status: 403, code: 'Forbidden', origin: 'rdmc' });
});

const pick = (e: ApiError) => ({ status: e.status, code: e.code, origin: e.origin });
