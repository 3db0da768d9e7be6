import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asUnavailable, isConnectionError } from '../../src/storage/postgres/unavailable.js';
import { StoreUnavailable } from '../../src/storage/unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('connection-class errors are outages: SQLSTATE class 08, 57P01-57P03, 53300, socket errors, the driver\'s own messages', () => {
  const outages = [
    withCode('08006'),
    withCode('08001'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P02'),
    withCode('57P03', 'the database system is starting up'),
    withCode('53300', 'sorry, too many clients already'),
    withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    withCode('ECONNRESET', 'read ECONNRESET'),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Client has encountered a connection error and is not queryable'),
  ];
  for (const err of outages) {
    assert.ok(isConnectionError(err), err.message);
    const thrown = asUnavailable(err);
    assert.ok(thrown instanceof StoreUnavailable && thrown.reason === 'unreachable' && thrown.cause === err);
  }
});

test('a statement the server refused is never an outage', () => {
  const refusals = [
    withCode('23505', 'duplicate key value violates unique constraint'),
    withCode('42601', 'syntax error at or near "SELEC"'),
    withCode('40001', 'could not serialize access'),
    withCode('57014', 'canceling statement due to statement timeout'),
    withCode('28P01', 'password authentication failed'),
    // rdmc's own mistake: a store used after it was closed.
    new Error('Cannot use a pool after calling end on the pool'),
    // The driver's messages count only on its own errors, which have no code.
    withCode('XX000', 'Connection terminated unexpectedly'),
    'not an error',
  ];
  for (const err of refusals) {
    assert.equal(isConnectionError(err), false, String(err));
    assert.equal(asUnavailable(err), err);
  }
});
