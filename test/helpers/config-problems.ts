import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/load.js';

/** The problems a refused configuration names; fails when `fn` is not refused with a ConfigError. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the configuration to be refused');
}
