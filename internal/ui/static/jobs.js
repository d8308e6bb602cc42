// The jobs: one kind at a time, one page of the API's list at a time, the
// newest page first (where a job created now appears), newest job at the
// top; each job's status, progress and errors, and the entities it touched.
// The page shown is read again every tick while it may change.

import { api, condition, idPath } from "./api.js";
import { h, field, time, value, busy, replace } from "./dom.js";
import { Table } from "./table.js";
import { catalogKinds, titleAttr } from "./entity.js";

const inProgress = (d) => d.attributes.status === "queued" || d.attributes.status === "processing";

// createJobs is the jobs view.
export function createJobs(ctx) {
  const kinds = ctx.catalog.jobs;
  const entities = new Map(catalogKinds(ctx.catalog).map((e) => [e.type, e]));
  const st = { kind: kinds[0], status: "", target: "", newest: true, links: {}, shown: false };
  const panel = h("div", { class: "view" });
  const kindSelect = h("select", { on: { change: () => { st.kind = kinds[kindSelect.selectedIndex]; newest(); } } },
    kinds.map((k) => h("option", { value: k.name, text: k.name })));
  const statusField = () => st.kind.filters.find((f) => f.field === "status");
  const statusSelect = h("select", { on: { change: () => { st.status = statusSelect.value; newest(); } } },
    h("option", { value: "", text: "any" }), (statusField() || { enum: [] }).enum.map((s) => h("option", { value: s, text: s })));
  const info = h("span", { class: "muted", attrs: { "aria-live": "polite" } });
  const btn = (text, fn) => h("button", { type: "button", text, on: { click: fn } });
  const newestB = btn("Newest page", () => newest());
  const olderB = btn("Older page", () => load(st.links.prev, false));
  const newerB = btn("Newer page", () => load(st.links.next, false));
  const oldestB = btn("Oldest page", () => load(withFilter(st.kind.path), false));
  const table = new Table([
    { label: "job", head: true, cls: "mono", value: (d) => d.id },
    { label: "status", value: (d) => d.attributes.status },
    { label: "progress", cls: "progress", sig: (d) => `${d.attributes.completed_count}/${d.attributes.failed_count}/${d.attributes.total_count}`,
      render: (d) => progress(d.attributes) },
    { label: "errors", cls: "num", value: (d) => String((d.attributes.errors || []).length) },
    { label: "created", cls: "time opt", value: (d) => time(d.attributes.created_at) },
    { label: "completed", cls: "time opt", value: (d) => time(d.attributes.completed_at) },
    { label: "Actions", cls: "actions", render: (d, row) => {
      const b = h("button", { type: "button", class: "link", text: "Details", attrs: { "aria-expanded": "false", "aria-label": `Details of job ${d.id}` } });
      b.addEventListener("click", () => table.toggle(row, b, (item, cell) => details(st.kind, item, cell)));
      return b;
    } },
  ], { caption: "Jobs, newest first", empty: "No jobs of this kind match." });
  panel.append(h("div", { class: "filters" }, field("Kind", kindSelect), field("Status", statusSelect),
    h("div", { class: "buttons" }, newestB, olderB, newerB, oldestB)), table.el, h("div", { class: "pager" }, info));

  function progress(a) {
    const done = (a.completed_count || 0) + (a.failed_count || 0);
    const text = `${done} of ${a.total_count}${a.failed_count ? `, ${a.failed_count} failed` : ""}`;
    return h("span", { class: "bar" }, h("progress", { max: a.total_count || 1, value: done, attrs: { "aria-label": text } }), h("span", { text }));
  }

  function withFilter(link) {
    const u = new URL(link, location.href);
    const f = statusField();
    const c = f ? condition(f, st.status) : "";
    if (c) u.searchParams.set("filter", c);
    return u.pathname + u.search;
  }

  function newest() { return load(withFilter(st.kind.newest), true); }

  async function load(target, atNewest, quietly) {
    const kind = st.kind;
    const doc = quietly ? await api(ctx.account(), target).catch(() => null) : await busy(null, () => api(ctx.account(), target));
    if (!doc || kind !== st.kind) return;
    st.target = target;
    st.newest = atNewest;
    st.links = doc.links || {};
    const jobs = [...doc.data].reverse();
    table.set(jobs, (d) => d.id);
    olderB.disabled = !st.links.prev;
    newerB.disabled = !st.links.next;
    const running = jobs.filter(inProgress).length;
    info.textContent = `${jobs.length} ${kind.name} jobs on this page${running ? `, ${running} in progress` : ""}` +
      `${st.newest ? " (the newest)" : ""}.`;
  }

  async function details(kind, job, cell) {
    const a = job.attributes;
    const errs = a.errors || [];
    const out = [h("h3", { text: `Job ${job.id}` }),
      h("p", { text: `${a.status}; ${a.completed_count} completed, ${a.failed_count} failed of ${a.total_count}; ` +
        `created ${time(a.created_at)}${a.completed_at ? `, completed ${time(a.completed_at)}, expires ${time(a.expires_at)}` : ""}.` })];
    if (errs.length) {
      out.push(h("h4", { text: `Errors (${errs.length})` }), h("ul", { class: "errors" },
        errs.map((e) => h("li", {}, h("strong", { text: `${e.code}: ` }), e.detail, e.source && e.source.pointer ? h("span", { class: "mono muted", text: ` at ${e.source.pointer}` }) : ""))));
    }
    replace(cell, out);
    if (!kind.include) {
      cell.append(h("p", { class: "muted", text: `At revision ${ctx.catalog.revision} the API does not list the ${kind.relationship} a ${kind.action} job named; its errors name those that failed.` }));
      return null;
    }
    const doc = await busy(null, () => api(ctx.account(), `${kind.path}/${idPath(job.id)}?include=${encodeURIComponent(kind.include)}`));
    if (!doc) return null;
    const e = entities.get(kind.entity);
    const shown = new Map((doc.included || []).map((x) => [x.id, x]));
    const ids = ((doc.data.relationships || {})[kind.relationship] || {}).data || [];
    return h("div", {}, h("h4", { text: `${kind.relationship} it named (${ids.length})` }),
      h("ul", { class: "touched" }, ids.map((r) => {
        const x = shown.get(r.id);
        return h("li", {}, h("span", { class: "mono", text: r.id }), " ",
          x ? value(x.attributes[titleAttr(e)]) : h("span", { class: "muted", text: "(not in the catalog now)" }));
      })));
  }

  return {
    id: "jobs", label: "Jobs", panel,
    show() { st.shown = true; return st.target ? load(st.target, st.newest) : newest(); },
    hide() { st.shown = false; },
    accountChanged() { st.target = ""; },
    tick() {
      if (!st.target) return undefined;
      const running = [...table.rows.values()].some((r) => inProgress(r.item));
      return st.newest || running ? load(st.target, st.newest, true) : undefined;
    },
  };
}
