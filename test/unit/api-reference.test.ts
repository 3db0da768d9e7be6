import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_VERSIONS } from '../../src/api/actions.js';
import { renderApiReference } from '../../src/api/reference.js';

const committed = () => readFileSync(new URL('../../../docs/reference/api.md', import.meta.url), 'utf8');

test('docs/reference/api.md is what the action table, the presenters and the error catalogue render', () => {
  assert.ok(committed() === renderApiReference(), 'docs/reference/api.md differs from the code: run `npm run docs:api` and commit the file');
});

test('the reference documents every action of every version served, with its parameters', () => {
  const text = committed();
  for (const [version, v] of Object.entries(API_VERSIONS)) {
    assert.match(text, new RegExp(`^## ${v.product} ${version}$`, 'm'));
    for (const [name, definition] of Object.entries(v.actions)) {
      const start = text.indexOf(`### ${name} ${version}\n`);
      assert.ok(start >= 0, `${name} ${version} is documented`);
      const section = text.slice(start, text.indexOf('\n### ', start + 1));
      for (const param of Object.keys(definition.params)) assert.ok(section.includes(`| \`${param}\` |`), `${name} ${version} documents ${param}`);
    }
  }
});
