// Helpers shared by the tests: where the emulator is, a fresh account per test,
// an SDK client pointed at the emulator, and the emulator's control API.
import { randomBytes } from 'node:crypto';
import { ApiKeySession, CatalogsApi, RetryWithExponentialBackoff } from 'klaviyo-api';

export const BASE_URL = (process.env.MOCKSERVER_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

// Every distinct key is its own isolated account on the emulator, generated
// from the server's seed: a fresh key gives each test a fresh account.
export function newKey() {
  return `pk_${randomBytes(17).toString('hex')}`;
}

// The SDK's CatalogsApi, talking to the emulator instead of https://a.klaviyo.com.
// Each generated *Api class has a `basePath` setter; that is the only change an
// app needs. The session sends `Authorization: Klaviyo-API-Key <key>` and the
// SDK's revision header (2026-07-15 for klaviyo-api 23.0.0), and retries
// 429/503/504/524 with exponential backoff, honouring Retry-After.
export function catalogsApi(key, retry = new RetryWithExponentialBackoff({ numRetries: 3 })) {
  const api = new CatalogsApi(new ApiKeySession(key, retry));
  api.basePath = BASE_URL;
  return api;
}

// admin(method, path[, body]): one call to the control API (/__admin); the
// parsed JSON answer, or an exception naming the status and body.
export async function admin(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${BASE_URL}/__admin${path}`, init);
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} /__admin${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

export const accountJobs = async (key) => (await admin('GET', `/accounts/${key}/jobs`)).jobs;
export const accountItems = async (key) => (await admin('GET', `/accounts/${key}/items`)).items;

// The last `limit` journaled API requests of an account, oldest first.
export const journal = async (key, limit) =>
  (await admin('GET', `/requests?account=${encodeURIComponent(key)}&limit=${limit}`)).requests;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls a job with the SDK until it is complete; fails after `timeoutMs`.
export async function waitForComplete(api, jobId, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const seen = [];
  for (;;) {
    const { body } = await api.getBulkUpdateCatalogItemsJob(jobId);
    const { status } = body.data.attributes;
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'complete') return { body, statuses: seen };
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} not complete after ${timeoutMs} ms (statuses seen: ${seen.join(' -> ')})`);
    }
    await sleep(intervalMs);
  }
}
