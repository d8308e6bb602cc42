// What the browser tests share: the browser (Debian's chromium driven by
// playwright-core, which downloads no browser), the emulator's address and
// an app's calls to it, screenshots, and a static server that serves a
// directory from another origin than the emulator (as a storefront is).

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";
import { chromium } from "playwright-core";

// base is the emulator scripts/browser-test started.
export const base = process.env.MOCKSERVER_URL;

// launch starts the browser with the flags a CI machine needs.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

// loopback reports whether a URL a page asked for stays on this machine.
export function loopback(u) {
  if (u.startsWith("data:") || u.startsWith("blob:")) return true;
  const host = new URL(u).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

// App is an app calling the emulator's API with an account's key.
export class App {
  constructor(key, revision) {
    this.key = key;
    this.revision = revision;
  }

  async call(method, path, body) {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Klaviyo-API-Key ${this.key}`, revision: this.revision, "Content-Type": "application/vnd.api+json" },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, doc: await res.json().catch(() => null) };
  }
}

// control calls the control API and returns its JSON answer.
export async function control(method, path, body) {
  const res = await fetch(`${base}/__admin/${path}`, {
    method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /__admin/${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css" };

// serveDir serves the files of dir on 127.0.0.1 at a free port; it
// resolves with the server's origin and a function that stops it.
export async function serveDir(dir) {
  const server = createServer(async (req, res) => {
    if (req.url === "/favicon.ico") return res.writeHead(204).end(); // what a browser asks for unbidden
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = await readFile(join(dir, path.endsWith("/") ? `${path}index.html` : path));
      res.writeHead(200, { "Content-Type": types[extname(path) || ".html"] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}
