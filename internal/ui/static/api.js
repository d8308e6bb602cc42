// The page speaks only the control API (its own origin, /__admin/…): what
// the page does, a test can do with the same request. The API itself is
// reached on an account's behalf through /__admin/accounts/{key}/api/….

// ADMIN is the control API's path, the parent of the page's own.
export const ADMIN = new URL("../", location.href).pathname;

// ControlError is an answer that is not a success: its status and the
// details of its Klaviyo-shaped error document.
export class ControlError extends Error {
  constructor(status, detail) {
    super(detail ? `${status}: ${detail}` : `The control API answered ${status}.`);
    this.status = status;
    this.detail = detail;
  }
}

async function send(method, url, body, contentType = "application/json") {
  const init = { method, headers: { Accept: "application/json" } };
  if (method !== "GET") {
    // Control writes are JSON, even without a body.
    init.headers["Content-Type"] = contentType;
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let doc = null;
  if (text) {
    try { doc = JSON.parse(text); } catch { doc = null; }
  }
  if (!res.ok) {
    const errs = doc && Array.isArray(doc.errors) ? doc.errors : [];
    throw new ControlError(res.status, errs.map((e) => e.detail || e.title).filter(Boolean).join(" ") || text.slice(0, 200));
  }
  return doc;
}

// control sends a control API request: path is relative to /__admin/.
export function control(method, path, body) {
  return send(method, ADMIN + path, body);
}

// accountPath is the control path of an account (its public key, or any
// key as typed).
export function accountPath(key) {
  return `accounts/${encodeURIComponent(key)}`;
}

// api sends an API request on the account's behalf: target is "/api/…"
// (path and query) or a link the API wrote (absolute, with its own host).
export function api(key, target, method = "GET", body) {
  const u = new URL(target, location.href);
  const rest = u.pathname.replace(/^\/api\//, "");
  return send(method, `${ADMIN}${accountPath(key)}/api/${rest}${u.search}`, body, "application/vnd.api+json");
}

// idPath is an id as one path segment.
export function idPath(id) { return encodeURIComponent(id); }

// quote writes a filter's string value.
export function quote(s) { return `"${String(s).replace(/"/g, '\\"')}"`; }

// condition writes one filter condition of a catalog filter field
// ({field, op, value}) for the value v a form holds ("" none).
export function condition(f, v) {
  if (v === "" || v === undefined || v === null) return "";
  if (f.value === "string list") {
    const ids = String(v).split(",").map((s) => s.trim()).filter(Boolean);
    return ids.length ? `${f.op}(${f.field},[${ids.map(quote).join(",")}])` : "";
  }
  if (f.value === "boolean") return `${f.op}(${f.field},${v === "true"})`;
  return `${f.op}(${f.field},${quote(v)})`;
}

// query writes a query string from pairs, leaving out empty values.
export function query(pairs) {
  const p = new URLSearchParams();
  for (const [k, v] of pairs) if (v !== "" && v !== undefined && v !== null) p.append(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
