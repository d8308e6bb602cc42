// Small DOM helpers: elements built with properties and children (text is
// always set as text, never parsed as HTML), formats, and the page's two
// live regions (polite status, assertive errors).

// h builds an element. props: class, text, attrs (set as attributes),
// on (event listeners), and any other key as a property (value, checked…).
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "attrs") for (const [a, av] of Object.entries(v)) { if (av !== undefined && av !== null && av !== false) el.setAttribute(a, av === true ? "" : String(av)); }
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else el[k] = v;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// clear removes every child of el and appends children.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// uid returns a fresh id for label/control pairs.
let seq = 0;
export function uid(prefix) { return `${prefix}-${++seq}`; }

// field is a labelled control: <label for>text</label><control>.
export function field(text, control, cls = "field") {
  if (!control.id) control.id = uid("f");
  return h("div", { class: cls }, h("label", { attrs: { for: control.id }, text }), control);
}

// time shows an ISO time as the server wrote it, in UTC, to the second.
export function time(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace("T", " ").slice(0, 19) + "Z";
}

// value shows an attribute value compactly.
export function value(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

// pretty returns a body for reading: JSON indented, anything else as is.
export function pretty(body) {
  if (!body) return "";
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch { return body; }
}

// headersTable shows a {name: [values]} map as a definition list.
export function headersList(headers) {
  const dl = h("dl", { class: "headers" });
  for (const [k, vs] of Object.entries(headers || {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const v of vs) dl.append(h("dt", { text: k }), h("dd", { text: v }));
  }
  return dl;
}

// announce says msg in the polite live region (and shows it briefly).
export function announce(msg) {
  const el = document.getElementById("status");
  el.textContent = msg;
  el.classList.add("shown");
  clearTimeout(announce.t);
  announce.t = setTimeout(() => el.classList.remove("shown"), 4000);
}

// fail shows an error in the alert region until the next action.
export function fail(err) {
  const el = document.getElementById("alert");
  el.replaceChildren(h("span", { text: err && err.message ? err.message : String(err) }),
    h("button", { type: "button", class: "link", text: "Dismiss", on: { click: () => el.replaceChildren() } }));
  if (!(err && err.status)) console.warn(err);
}

// quiet clears the alert region.
export function quiet() { document.getElementById("alert").replaceChildren(); }

// busy runs an action from a control: it disables the control while the
// action runs, says what happened, and shows an error instead of throwing.
export async function busy(control, fn, done) {
  if (control) control.disabled = true;
  quiet();
  try {
    const out = await fn();
    if (done) announce(typeof done === "function" ? done(out) : done);
    return out;
  } catch (err) {
    fail(err);
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}
