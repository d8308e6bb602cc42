// Listing jobs with the SDK: filters built with FilterBuilder, cursor
// pagination as the SDK's README shows it, and sparse fieldsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterBuilder } from 'klaviyo-api';
import { accountJobs, catalogsApi, journal, newKey } from '../support/emulator.mjs';

const MAX_PAGES = 100; // bound on every paging loop

// Follows links.next the way the SDK's README documents it: pass the whole
// `links.next` as `pageCursor`. Returns every page's body.
async function allPages(api, options = {}) {
  const pages = [];
  let pageCursor;
  do {
    const { response, body } = await api.getBulkUpdateCatalogItemsJobs({ ...options, pageCursor });
    assert.equal(response.status, 200);
    pages.push(body);
    assert.ok(pages.length <= MAX_PAGES, `links.next still set after ${MAX_PAGES} pages`);
    pageCursor = body.links.next ?? undefined;
  } while (pageCursor);
  return pages;
}

test('FilterBuilder equals(status,"complete") returns only complete jobs', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const filter = new FilterBuilder().equals('status', 'complete').build();
  assert.equal(filter, 'equals(status,"complete")');

  const jobs = (await allPages(api, { filter })).flatMap((page) => page.data);
  assert.ok(jobs.length > 0, 'some jobs are complete');
  for (const job of jobs) {
    assert.equal(job.attributes.status, 'complete', `job ${job.id} is ${job.attributes.status}`);
  }
  const expected = (await accountJobs(key)).filter((j) => j.status === 'complete').length;
  assert.equal(jobs.length, expected, 'as many complete jobs as the control API holds');
});

test('pageCursor = links.next pages through every job exactly once', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);

  const pages = await allPages(api);
  assert.ok(pages.length >= 2, `several pages (got ${pages.length})`);
  const ids = pages.flatMap((page) => page.data.map((job) => job.id));
  assert.equal(new Set(ids).size, ids.length, 'no job is listed twice');
  const held = await accountJobs(key);
  assert.equal(ids.length, held.length, 'as many jobs as the control API says the account holds');
  assert.deepEqual(new Set(ids), new Set(held.map((j) => j.id)));

  // Over http the SDK does not reduce links.next to the bare cursor (it only
  // does so for https:// links), so the emulator received the whole link as
  // page[cursor]. Check that this is what was exercised.
  const next = pages[0].links.next;
  assert.match(next, /^http:\/\//);
  const [secondPage] = (await journal(key, pages.length)).slice(1, 2);
  const sentCursor = new URLSearchParams(secondPage.query).get('page[cursor]');
  assert.equal(sentCursor, next, 'the SDK sent the whole links.next as page[cursor]');
});

test('sparse fieldsets return only the listed attributes', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const fields = { fieldsCatalogItemBulkUpdateJob: ['status'] };

  const list = await api.getBulkUpdateCatalogItemsJobs(fields);
  assert.ok(list.response.data.data.length > 0);
  for (const job of list.response.data.data) {
    // The raw JSON (the SDK's deserialised body lists every known attribute, undefined when absent).
    assert.deepEqual(Object.keys(job.attributes), ['status'], `job ${job.id} attributes`);
    assert.equal(typeof job.id, 'string');
  }
  for (const job of list.body.data) {
    assert.ok(['queued', 'processing', 'complete', 'cancelled'].includes(job.attributes.status));
    assert.equal(job.attributes.createdAt, undefined);
    assert.equal(job.attributes.totalCount, undefined);
  }

  const one = await api.getBulkUpdateCatalogItemsJob(list.body.data[0].id, fields);
  assert.deepEqual(Object.keys(one.response.data.data.attributes), ['status']);
});
