// The request journal, live: what is new since the last entry shown is
// asked for every tick (?after=seq) and appended below, so what the reader
// is looking at stays where it is; the view follows the newest entries
// only while it is scrolled to the bottom. Each entry opens to its request
// and its answer (headers and bodies, redacted as the journal keeps them).

import { control, query } from "./api.js";
import { h, time, pretty, headersList, busy } from "./dom.js";
import { Table } from "./table.js";

const page = 100; // entries asked for at a time
const kept = 500; // entries the view keeps

// createJournal is the journal view.
export function createJournal(ctx) {
  const st = { after: 0, loaded: false, missed: 0 };
  const mine = h("input", { type: "checkbox", id: "journal-mine", on: { change: () => restart() } });
  const apiOnly = h("input", { type: "checkbox", id: "journal-api", checked: true, on: { change: () => restart() } });
  const info = h("span", { class: "muted" });
  const jump = h("button", { type: "button", class: "link", hidden: true, text: "Show the newest",
    on: { click: () => { box.scrollTop = box.scrollHeight; jump.hidden = true; } } });
  const table = new Table([
    { label: "seq", head: true, cls: "num", value: (e) => String(e.seq) },
    { label: "time", cls: "time opt", value: (e) => time(e.time) },
    { label: "method", value: (e) => e.method },
    { label: "path", cls: "mono path", value: (e) => e.path + (e.query ? `?${decodeURIComponentSafe(e.query)}` : "") },
    { label: "status", cls: "num", sig: (e) => String(e.status), render: (e) => h("span", { class: `status s${String(e.status)[0]}`, text: String(e.status) }) },
    { label: "fault", value: (e) => (e.fault ? `faulted (${e.fault})` : "") },
    { label: "operation", cls: "mono opt", value: (e) => e.operation || "" },
    { label: "revision", cls: "opt", value: (e) => e.revision || "" },
    { label: "account", cls: "mono opt", value: (e) => e.account || "" },
    { label: "Actions", cls: "actions", render: (e, row) => {
      const b = h("button", { type: "button", class: "link", text: "Open", attrs: { "aria-expanded": "false", "aria-label": `Open request ${e.seq}` } });
      b.addEventListener("click", () => table.toggle(row, b, (item) => entry(item)));
      return b;
    } },
  ], { caption: "Requests to the API, oldest first", empty: "No requests yet." });
  const box = table.el;
  box.classList.add("journal");
  box.tabIndex = 0;
  box.setAttribute("aria-label", "Request journal");
  box.addEventListener("scroll", () => { if (atBottom()) jump.hidden = true; });
  const clear = h("button", { type: "button", text: "Clear the journal", on: { click: (ev) => busy(ev.currentTarget, async () => {
    await control("DELETE", "requests");
    table.clear();
  }, "The journal is cleared.") } });
  const panel = h("div", { class: "view" },
    h("div", { class: "filters" }, h("div", { class: "field check" }, apiOnly, h("label", { attrs: { for: apiOnly.id }, text: "Only API requests" })),
      h("div", { class: "field check" }, mine, h("label", { attrs: { for: mine.id }, text: "Only this account" })),
      h("div", { class: "buttons" }, clear), info, jump),
    box);

  function atBottom() { return box.scrollTop + box.clientHeight >= box.scrollHeight - 4; }

  function restart() {
    st.loaded = false;
    table.clear();
    return poll();
  }

  async function poll() {
    const first = !st.loaded;
    const doc = await control("GET", "requests" + query([["after", first ? "" : st.after], ["limit", page],
      ["account", mine.checked ? ctx.account() : ""], ["path", apiOnly.checked ? "/api/" : ""]]));
    const entries = doc.requests || [];
    if (entries.length === 0 && st.loaded) return;
    const follow = atBottom();
    table.append(entries, (e) => e.seq);
    if (entries.length) st.after = entries[entries.length - 1].seq;
    if (!first && entries.length === page) st.missed += 1;
    st.loaded = true;
    if (table.rows.size > kept) {
      const before = box.scrollHeight;
      table.dropFirst(table.rows.size - kept);
      if (!follow) box.scrollTop -= before - box.scrollHeight;
    }
    if (follow) box.scrollTop = box.scrollHeight;
    else if (entries.length && !first) jump.hidden = false;
    info.textContent = `${table.rows.size} shown (the newest ${kept} at most; the journal holds ${doc.cap}).` +
      (st.missed ? " More came in a second than are asked for at once: some were skipped." : "");
  }

  function entry(e) {
    const part = (title, headers, body, truncated) => h("section", { class: "part" }, h("h4", { text: title }), headersList(headers),
      body ? h("pre", { tabIndex: 0, text: pretty(body) + (truncated ? "\n… (cut short by the journal)" : "") }) : h("p", { class: "muted", text: "No body." }));
    return h("div", { class: "entry" },
      h("p", {}, h("span", { class: "mono", text: `${e.method} ${e.path}${e.query ? `?${e.query}` : ""}` }),
        ` → ${e.status}; revision ${e.revision || "none"} (asked ${e.requested_revision || "none"}); ${e.operation || "no operation"};` +
        ` ${e.fault ? `fault rule ${e.fault}; ` : ""}${e.duration_us} µs; request id ${e.request_id}; ${time(e.time)}.`),
      h("div", { class: "parts" }, part("Request", e.headers, e.body, e.body_truncated),
        part(`Answer ${e.status}`, e.response_headers, e.response_body, e.response_body_truncated)));
  }

  return {
    id: "requests", label: "Requests", panel,
    show() { return poll(); },
    tick() { return poll(); },
    accountChanged(fresh) {
      if (fresh || mine.checked) {
        st.loaded = false;
        table.clear();
      }
    },
  };
}

function decodeURIComponentSafe(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}
