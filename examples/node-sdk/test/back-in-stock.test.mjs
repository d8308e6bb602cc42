// Back-in-stock subscriptions: the server-side create through the SDK, the
// browser-side /client create with fetch (the SDK dropped every /client
// call: "bad practice to use client-side endpoints on the server side"),
// and the emulator's own record of what it would notify when the variant
// comes back in stock. Klaviyo never shows subscriptions back: the control
// API does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccountsApi,
  ApiKeySession,
  BackInStockSubscriptionEnum,
  CatalogItemEnum,
  CatalogVariantEnum,
  ProfileEnum,
} from 'klaviyo-api';
import { BASE_URL, admin, catalogsApi, newKey } from '../support/emulator.mjs';

const subscription = (variantId, profileAttributes, channels = ['EMAIL']) => ({
  data: {
    type: BackInStockSubscriptionEnum.BackInStockSubscription,
    attributes: { channels, profile: { data: { type: ProfileEnum.Profile, attributes: profileAttributes } } },
    relationships: { variant: { data: { type: CatalogVariantEnum.CatalogVariant, id: variantId } } },
  },
});

// subscriptionsOf finds an account's subscriptions with the control API's
// equality filters.
const subscriptionsOf = async (key, query) =>
  (await admin('GET', `/accounts/${key}/back-in-stock-subscriptions?${new URLSearchParams(query)}`))['back-in-stock-subscriptions'];

test('the SDK subscribes a profile to a variant: 202 with no body, and the record in the control API', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const variant = '$custom:::$default:::bomber123-s';
  const email = 'ann@example.com';
  const { response, body } = await catalogsApi(key).createBackInStockSubscription(
    subscription(variant, { email, phoneNumber: '+15005550006' }, ['EMAIL', 'SMS']));
  assert.equal(response.status, 202);
  assert.equal(body, undefined);
  assert.equal(response.data, '', 'no body');
  assert.equal(response.headers['content-type'], undefined, 'no Content-Type');

  const subs = await subscriptionsOf(key, { variant, email });
  assert.equal(subs.length, 1);
  assert.deepEqual(subs[0].channels, ['EMAIL', 'SMS']);
  assert.equal(subs[0].phone_number, '+15005550006');
  assert.equal(subs[0].source, 'api');
  assert.equal(subs[0].revision, '2026-07-15');
});

test('a storefront subscribes through /client with the public key; errors carry Klaviyo\'s detail', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  // The account's public key, as Klaviyo shows it: GET /api/accounts.
  const accounts = new AccountsApi(new ApiKeySession(key));
  accounts.basePath = BASE_URL;
  const publicKey = (await accounts.getAccounts()).body.data[0].attributes.publicApiKey;
  assert.match(publicKey, /^[A-Za-z0-9]{6}$/);

  const post = (profileAttributes) => fetch(`${BASE_URL}/client/back-in-stock-subscriptions?company_id=${publicKey}`, {
    method: 'POST',
    headers: { accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json', revision: '2025-01-15' },
    body: JSON.stringify({
      data: {
        type: 'back-in-stock-subscription',
        attributes: { channels: ['SMS'], profile: { data: { type: 'profile', attributes: profileAttributes } } },
        relationships: { variant: { data: { type: 'catalog-variant', id: '$shopify:::$default:::33001893429341' } } },
      },
    }),
  });
  const ok = await post({ phone_number: '+15005550006' });
  assert.equal(ok.status, 202);
  assert.equal(await ok.text(), '');
  assert.equal(ok.headers.get('access-control-allow-origin'), '*');
  const subs = await subscriptionsOf(key, { phone_number: '+15005550006' });
  assert.equal(subs.length, 1);
  assert.equal(subs[0].source, 'client');
  assert.equal(subs[0].variant, '$shopify:::$default:::33001893429341', "another integration's variant is kept as sent");

  const bad = await post({ phone_number: '555-0100' });
  assert.equal(bad.status, 400);
  const [error] = (await bad.json()).errors;
  assert.equal(error.detail, 'Invalid phone number format (Example of a valid format: +12345678901)');
  assert.equal(error.source.pointer, '/data/attributes/profile/data/attributes/phone_number');
});

test('a variant back in stock: the emulator records what it would notify, one per channel', { timeout: 30_000 }, async (t) => {
  const key = newKey();
  t.diagnostic(`account ${key}`);
  const api = catalogsApi(key);
  const item = await api.createCatalogItem({
    data: { type: CatalogItemEnum.CatalogItem, attributes: { externalId: 'BIS-1', title: 'Bomber', description: 'A jacket', url: 'https://shop.example/bomber' } },
  });
  const { body: created } = await api.createCatalogVariant({
    data: {
      type: CatalogVariantEnum.CatalogVariant,
      attributes: {
        externalId: 'BIS-1-S', title: 'Bomber S', description: 'Size S', sku: 'BIS-1-S',
        inventoryQuantity: 0, price: 99, url: 'https://shop.example/bomber?size=s',
      },
      relationships: { item: { data: { type: CatalogItemEnum.CatalogItem, id: item.body.data.id } } },
    },
  });
  const variant = created.data.id;
  const email = 'ann@example.com';
  await api.createBackInStockSubscription(subscription(variant, { email }, ['EMAIL', 'SMS']));

  await api.updateCatalogVariant(variant, {
    data: { type: CatalogVariantEnum.CatalogVariant, id: variant, attributes: { inventoryQuantity: 3 } },
  });
  const { 'back-in-stock-notifications': recs } = await admin(
    'GET', `/accounts/${key}/back-in-stock-notifications?${new URLSearchParams({ variant })}`);
  assert.deepEqual(recs.map((r) => r.channel).sort(), ['EMAIL', 'SMS']);
  assert.ok(recs.every((r) => r.email === email && r.variant === variant));
});
