import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABEL_MAX, Metrics, SERIES_MAX } from '../../src/observability/metrics.js';

const seriesOf = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));

test('a counter keeps at most SERIES_MAX series: past it, new label sets count under "other", nothing is lost', () => {
  const metrics = new Metrics();
  for (let i = 0; i < SERIES_MAX * 3; i++) metrics.requests.inc({ action: 'ListAccounts', code: `InvalidParameter.Tag.${i}.Key` });
  metrics.requests.inc({ action: 'ListAccounts', code: 'InvalidParameter.Tag.0.Key' });
  const lines = seriesOf(metrics.lines().join('\n'), 'rdmc_rpc_requests_total');
  assert.equal(lines.length, SERIES_MAX);
  assert.ok(lines.includes('rdmc_rpc_requests_total{action="ListAccounts",code="InvalidParameter.Tag.0.Key"} 2'));
  assert.ok(lines.includes(`rdmc_rpc_requests_total{action="other",code="other"} ${SERIES_MAX * 2 + 1}`));
});

test('a label value is cut to LABEL_MAX characters, in counters and histograms', () => {
  const metrics = new Metrics();
  const huge = 'x'.repeat(1_000_000);
  metrics.requests.inc({ action: 'a', code: huge });
  metrics.duration.observe({ action: huge }, 0.001);
  const text = metrics.lines().join('\n');
  assert.ok(text.length < 10_000, `${text.length} bytes`);
  assert.ok(seriesOf(text, 'rdmc_rpc_requests_total').includes(`rdmc_rpc_requests_total{action="a",code="${'x'.repeat(LABEL_MAX)}"} 1`));
  assert.ok(seriesOf(text, 'rdmc_rpc_request_duration_seconds_count').includes(`rdmc_rpc_request_duration_seconds_count{action="${'x'.repeat(LABEL_MAX)}"} 1`));
});
