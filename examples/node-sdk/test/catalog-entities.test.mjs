// The catalog itself through the SDK: items, variants and categories
// created, read, listed, related and deleted with the entity endpoints, and
// the same catalog seen by the bulk jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CatalogCategoryEnum,
  CatalogItemBulkCreateJobEnum,
  CatalogItemEnum,
  CatalogVariantEnum,
  FilterBuilder,
} from 'klaviyo-api';
import { accountItems, catalogsApi, newKey, sleep } from '../support/emulator.mjs';

const MAX_PAGES = 100; // bound on every paging loop

const itemBody = (externalId, extra = {}) => ({
  data: {
    type: CatalogItemEnum.CatalogItem,
    attributes: {
      externalId,
      title: `Title ${externalId}`,
      description: `About ${externalId}`,
      url: `https://shop.example/${externalId}`,
      ...extra,
    },
  },
});

// status returns the HTTP status of a rejected SDK call.
async function status(promise) {
  try {
    await promise;
  } catch (err) {
    return err.response?.status ?? err.status;
  }
  return 200;
}

test('create, read, update and delete an item; its id travels percent-encoded', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);

  const created = await api.createCatalogItem(itemBody('SDK-1', { price: 9.5 }));
  assert.equal(created.response.status, 201);
  const id = created.body.data.id;
  assert.equal(id, '$custom:::$default:::SDK-1');
  const attrs = created.response.data.data.attributes; // raw JSON
  assert.equal(attrs.published, true);
  assert.deepEqual(attrs.images, []);
  assert.equal(attrs.image_full_url, '');
  assert.equal(attrs.created, attrs.updated);

  // The SDK encodes the id with encodeURIComponent (%24custom%3A%3A%3A…).
  const got = await api.getCatalogItem(id);
  assert.equal(got.body.data.attributes.title, 'Title SDK-1');
  assert.equal(await status(api.createCatalogItem(itemBody('SDK-1'))), 409, 'a duplicate create is a conflict');

  await sleep(5); // updated moves on
  const patched = await api.updateCatalogItem(id, {
    data: { type: CatalogItemEnum.CatalogItem, id, attributes: { price: 12.25 } },
  });
  assert.equal(patched.response.status, 200);
  assert.equal(patched.body.data.attributes.price, 12.25);
  assert.equal(patched.response.data.data.attributes.created, attrs.created);

  const deleted = await api.deleteCatalogItem(id);
  assert.equal(deleted.response.status, 204);
  assert.equal(await status(api.getCatalogItem(id)), 404);
});

test('variants and categories relate to their item both ways', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const { body: item } = await api.createCatalogItem(itemBody('SDK-2'));
  const itemId = item.data.id;

  const variant = await api.createCatalogVariant({
    data: {
      type: CatalogVariantEnum.CatalogVariant,
      attributes: {
        externalId: 'SDK-2-V', title: 'Blue', description: 'd', sku: 'SKU-SDK-2', inventoryQuantity: 4, price: 3.5,
        url: 'https://shop.example/SDK-2-V',
      },
      relationships: { item: { data: { type: CatalogItemEnum.CatalogItem, id: itemId } } },
    },
  });
  assert.equal(variant.response.status, 201);
  const variants = await api.getVariantsForCatalogItem(itemId);
  assert.deepEqual(variants.body.data.map((v) => v.id), [variant.body.data.id]);

  const { body: categories } = await api.getCatalogCategories();
  const categoryId = categories.data[0].id;
  const added = await api.addCategoriesToCatalogItem(itemId, {
    data: [{ type: CatalogCategoryEnum.CatalogCategory, id: categoryId }],
  });
  assert.equal(added.response.status, 204);
  const ids = await api.getCategoryIdsForCatalogItem(itemId);
  assert.deepEqual(ids.body.data.map((c) => c.id), [categoryId]);
  const items = await api.getItemIdsForCatalogCategory(categoryId, {
    filter: new FilterBuilder().any('ids', [itemId]).build(),
  });
  assert.deepEqual(items.body.data.map((i) => i.id), [itemId], 'the category holds the item');

  await api.deleteCatalogItem(itemId);
  assert.equal(await status(api.getCatalogVariant(variant.body.data.id)), 404, 'the item took its variant with it');
});

test('pageCursor = links.next pages through every catalog item once, oldest first', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const seen = [];
  let pageCursor;
  let pages = 0;
  do {
    const { body } = await api.getCatalogItems({ pageCursor, pageSize: 40, fieldsCatalogItem: ['created'] });
    seen.push(...body.data.map((i) => ({ id: i.id, created: i.attributes.created })));
    pageCursor = body.links.next ?? undefined;
    assert.ok(++pages <= MAX_PAGES);
  } while (pageCursor);
  assert.ok(pages >= 2, `several pages (got ${pages})`);
  const held = await accountItems(key);
  assert.equal(seen.length, held.length, 'as many items as the control API holds');
  assert.equal(new Set(seen.map((i) => i.id)).size, seen.length, 'no item twice');
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i - 1].created <= seen[i].created, `item ${i} is not older than item ${i - 1}`);
  }
});

test('a bulk create job fills the catalog the entity endpoints read', { timeout: 60_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const job = await api.bulkCreateCatalogItems({
    data: {
      type: CatalogItemBulkCreateJobEnum.CatalogItemBulkCreateJob,
      attributes: { items: { data: [itemBody('JOB-1').data, itemBody('JOB-2').data] } },
    },
  });
  const jobId = job.body.data.id;
  for (let i = 0; ; i++) {
    const { body } = await api.getBulkCreateCatalogItemsJob(jobId);
    if (body.data.attributes.status === 'complete') break;
    assert.ok(i < 120, 'the job completes');
    await sleep(250);
  }
  const filter = new FilterBuilder().any('ids', ['$custom:::$default:::JOB-1', '$custom:::$default:::JOB-2']).build();
  const { body } = await api.getCatalogItems({ filter });
  assert.deepEqual(body.data.map((i) => i.attributes.title).sort(), ['Title JOB-1', 'Title JOB-2']);
});
