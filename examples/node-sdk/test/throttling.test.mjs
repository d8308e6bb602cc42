// A 429 forced through the control API is retried by the SDK on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, catalogsApi, journal, newKey } from '../support/emulator.mjs';

test('the SDK retries a forced 429 and then succeeds', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);

  // The account's next API request gets Klaviyo's 429 with Retry-After.
  await admin('POST', `/accounts/${key}/throttle`, { count: 1 });

  const { response, body } = await api.getBulkUpdateCatalogItemsJobs();
  assert.equal(response.status, 200);
  assert.ok(body.data.length > 0);

  // The server saw the same call twice: first throttled, then served.
  const [first, second] = await journal(key, 2);
  assert.equal(first?.status, 429, 'first attempt was throttled');
  assert.equal(second?.status, 200, 'the retry succeeded');
  for (const r of [first, second]) {
    assert.equal(r.method, 'GET');
    assert.equal(r.path, '/api/catalog-item-bulk-update-jobs');
    assert.equal(r.operation, 'get_bulk_update_catalog_items_jobs'); // the operation id, as Klaviyo names it
  }
  assert.ok(first.seq < second.seq, 'journal order: the 429 came first');
  // Retry-After was 1 s; the SDK waits at least that long before retrying.
  const waited = Date.parse(second.time) - Date.parse(first.time);
  assert.ok(waited >= 900, `the retry came ${waited} ms after the 429 (Retry-After: 1)`);
});
