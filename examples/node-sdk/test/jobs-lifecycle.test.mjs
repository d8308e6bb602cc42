// Creating a bulk update job with the SDK, polling it to completion, and
// reading it back with its catalog items included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogItemBulkUpdateJobEnum, CatalogItemEnum } from 'klaviyo-api';
import { accountItems, accountJobs, catalogsApi, newKey, waitForComplete } from '../support/emulator.mjs';

test('a bulk update job for an existing item completes and updates the item', { timeout: 60_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const [item] = await accountItems(key);
  assert.ok(item?.id, 'the control API lists at least one catalog item');

  const created = await api.bulkUpdateCatalogItems({
    data: {
      type: CatalogItemBulkUpdateJobEnum.CatalogItemBulkUpdateJob,
      attributes: {
        items: {
          data: [{ type: CatalogItemEnum.CatalogItem, id: item.id, attributes: { title: 'New title', price: 19.99 } }],
        },
      },
    },
  });
  assert.equal(created.response.status, 202);
  const jobId = created.body.data.id;
  assert.match(jobId, /^[0-9A-HJKMNP-TV-Z]{26}$/, 'job ids are ULIDs');
  assert.equal(created.body.data.attributes.status, 'queued');
  assert.equal(created.body.data.attributes.totalCount, 1);

  const { body, statuses } = await waitForComplete(api, jobId);
  t.diagnostic(`statuses seen: ${statuses.join(' -> ')}`);
  const job = body.data.attributes;
  assert.equal(job.status, 'complete');
  assert.equal(job.totalCount, 1);
  assert.equal(job.completedCount, 1);
  assert.equal(job.failedCount, 0);
  assert.deepEqual(job.errors, []);
  assert.ok(job.completedAt instanceof Date && job.completedAt >= job.createdAt, 'completed_at is set, after created_at');

  // The control API sees the created job, and the item really changed.
  const held = (await accountJobs(key)).find((j) => j.id === jobId);
  assert.equal(held?.status, 'complete', 'the control API holds the created job, complete');
  const updated = (await accountItems(key)).find((i) => i.id === item.id);
  assert.equal(updated.title, 'New title');
  assert.equal(updated.price, 19.99);
});

test('get one job with include=items returns its catalog items in included', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  // A seeded job whose items all exist (failed items are ids that do not exist).
  const job = (await accountJobs(key)).find((j) => j.status === 'complete' && j.failed_count === 0 && j.total_count > 1);
  assert.ok(job, 'the account holds a complete job without failures');

  const { response, body } = await api.getBulkUpdateCatalogItemsJob(job.id, { include: ['items'] });
  assert.equal(response.status, 200);
  assert.equal(body.data.id, job.id);
  assert.ok(Array.isArray(body.included) && body.included.length > 0, 'included is a non-empty array');
  for (const resource of body.included) {
    assert.equal(resource.type, 'catalog-item');
    assert.equal(typeof resource.attributes.title, 'string');
  }
  const includedIds = body.included.map((r) => r.id).sort();
  const relatedIds = body.data.relationships.items.data.map((r) => r.id).sort();
  assert.deepEqual(includedIds, [...new Set(job.items)].sort(), 'included holds exactly the job\'s items');
  assert.deepEqual(relatedIds, includedIds, 'relationships.items.data names the included items');
});
