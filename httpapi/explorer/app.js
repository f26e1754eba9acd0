// The enigma explorer: a page per view, drawn from the node's read-only
// API. Every value from the network is set as text (never as HTML): a
// dataset's name is whatever its provider chose.
"use strict";

const app = document.getElementById("app");

// el builds an element: attributes (on* names become listeners), then
// children (strings become text nodes).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path) {
  const res = await fetch("api/v1/" + path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ error: "the node answered " + res.status + " without JSON" }));
  if (!res.ok) throw new Error(body.error || "HTTP " + res.status);
  return body;
}

function show(page, ...nodes) {
  app.replaceChildren(...nodes);
  document.body.dataset.page = page;
  for (const a of document.querySelectorAll("nav a[data-page]")) a.classList.toggle("active", a.dataset.page === page);
}

function failure(page, err) {
  show(page, el("p", { class: "error", id: "error" }, err.message));
}

const short = (s, n = 10) => (s && s.length > 2 * n ? s.slice(0, n) + "…" + s.slice(-6) : s);
const datasetHref = (path) => "#/datasets/" + path;
const duration = (sec) => {
  if (!sec) return "none";
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
  return [d && d + " d", h && h + " h", m && m + " min"].filter(Boolean).join(" ") || sec + " s";
};
const badge = (cls, text) => el("span", { class: "badge " + cls }, text);
const terms = (pairs) => el("dl", { class: "terms" }, pairs.filter(Boolean).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));

// ---------------------------------------------------------------- listing

const listState = { q: "", trial: "", encrypted: "", slashed: "", sort: "rank", offset: 0, limit: 20 };

async function listing() {
  const filters = el("form", { class: "filters", id: "filters", onsubmit: (e) => { e.preventDefault(); listState.offset = 0; draw(); } },
    el("label", {}, "Search", el("input", { type: "search", id: "search", name: "q", placeholder: "provider address or dataset name", value: listState.q, maxlength: 100 })),
    select("trial", "Trial", [["", "any"], ["true", "with a trial"], ["false", "without"]]),
    select("encrypted", "Encrypted columns", [["", "any"], ["true", "some encrypted"], ["false", "none encrypted"]]),
    select("slashed", "Slashed", [["", "any"], ["false", "never slashed"], ["true", "slashed"]]),
    select("sort", "Sort by", [["rank", "rank (subscribers this period)"], ["price", "price"], ["name", "name"], ["created", "newest"]]),
    el("button", { type: "submit", id: "search-button" }, "Search"));
  const results = el("div", { id: "results" }, el("p", { class: "muted" }, "Loading…"));
  show("listing", el("h1", {}, "Datasets"), filters, results);

  async function draw() {
    for (const k of ["q", "trial", "encrypted", "slashed", "sort"]) listState[k] = filters.elements[k].value.trim();
    const params = new URLSearchParams({ offset: listState.offset, limit: listState.limit, sort: listState.sort });
    for (const k of ["q", "trial", "encrypted", "slashed"]) if (listState[k]) params.set(k, listState[k]);
    try {
      const page = await api("datasets?" + params);
      results.replaceChildren(listingTable(page), pager(page, draw));
      document.body.dataset.ready = "listing";
    } catch (err) {
      results.replaceChildren(el("p", { class: "error", id: "error" }, err.message));
    }
  }
  function select(name, label, options) {
    return el("label", {}, label, el("select", { name, id: "filter-" + name, onchange: () => { listState.offset = 0; draw(); } },
      options.map(([v, t]) => el("option", { value: v, selected: listState[name] === v }, t))));
  }
  delete document.body.dataset.ready;
  await draw();
}

function listingTable(page) {
  if (page.items.length === 0) return el("p", { id: "empty", class: "muted" }, "No dataset matches. Providers list one with 'enigma provider register'.");
  return el("table", { id: "dataset-table" },
    el("thead", {}, el("tr", {}, el("th", { class: "num" }, "Rank"), el("th", {}, "Dataset"), el("th", { class: "num" }, "Price / 30 days"),
      el("th", { class: "num" }, "Subscribers"), el("th", {}, "Trial"), el("th", {}, "Certified"), el("th", {}, "Status"))),
    el("tbody", {}, page.items.map((d) => el("tr", { "data-path": d.dataset },
      el("td", { class: "num" }, d.rank),
      el("td", {}, el("a", { href: datasetHref(d.dataset), class: "dataset-link" }, d.name), el("div", { class: "muted mono" }, short(d.provider))),
      el("td", { class: "num" }, d.price_per_period.eng + " ENG"),
      el("td", { class: "num" }, d.active_subscribers),
      el("td", {}, d.trial_seconds ? duration(d.trial_seconds) : "none"),
      el("td", {}, d.certified ? ["v" + d.certified.version + " ", d.certified.encrypted_columns.length ? badge("warn", d.certified.encrypted_columns.length + " encrypted") : badge("muted", "plain")]
        : el("span", { class: "muted", title: d.certified_error || "" }, "not resolved")),
      el("td", {}, d.active ? badge("ok", "active") : badge("muted", "deactivated"), d.slash_count ? badge("bad", "slashed ×" + d.slash_count) : null)))));
}

function pager(page, draw) {
  const prev = el("button", { disabled: page.offset === 0, onclick: () => { listState.offset = Math.max(0, page.offset - page.limit); draw(); } }, "← Previous");
  const next = el("button", { disabled: page.offset + page.limit >= page.total, onclick: () => { listState.offset = page.offset + page.limit; draw(); } }, "Next →");
  const last = Math.min(page.total, page.offset + page.items.length);
  return el("div", { class: "pager" }, prev, next, el("span", { class: "muted", id: "count" },
    page.total ? `${page.offset + 1}–${last} of ${page.total} at block ${page.block}` : `none at block ${page.block}`));
}

// ---------------------------------------------------------------- dataset

const encryptionHelp = { none: "plain text on the persistence nodes", det: "deterministic (AES-SIV): =, IN, GROUP BY", ope: "order-preserving: ranges and ORDER BY too" };

async function datasetPage(path) {
  delete document.body.dataset.ready;
  show("dataset", el("p", { class: "muted" }, "Loading " + path + "…"));
  let d;
  try { d = await api("datasets/" + path.split("/").map(encodeURIComponent).join("/")); } catch (err) { return failure("dataset", err); }
  const m = d.metadata;
  const parts = [
    el("h1", { id: "dataset-title" }, d.name, " ", d.active ? badge("ok", "active") : badge("muted", "deactivated"), d.slash_count ? badge("bad", "slashed ×" + d.slash_count) : null),
    el("p", { class: "muted mono" }, d.dataset),
    el("div", { class: "grid2" },
      el("section", { id: "terms" }, el("h2", {}, "Terms on chain"), terms([
        ["Price", d.price_per_period.eng + " ENG per 30-day period"], ["Trial", d.trial_seconds ? duration(d.trial_seconds) + ", once per account" : "none"],
        ["Deposit", d.deposit.eng + " ENG"], ["Subscribers this period", el("span", { id: "subscribers" }, String(d.active_subscribers))],
        ["Rank", "#" + d.rank], ["Total paid", d.total_paid.eng + " ENG"], ["Registered", new Date(d.registered_at).toUTCString()],
        ["Metadata hash", el("span", { class: "mono" }, d.metadata_hash)],
        ["Payouts", d.payouts.map((p) => el("div", { class: "mono" }, short(p.account) + "  " + (p.bps / 100).toFixed(2) + " %"))],
      ])),
      certifiedSection(d)),
  ];
  if (m) {
    parts.push(el("section", { id: "schema" }, el("h2", {}, "Schema"),
      el("table", { id: "schema-table" }, el("thead", {}, el("tr", {}, el("th", {}, "Column"), el("th", {}, "Type"), el("th", {}, "Encryption"), el("th", {}, "Null"))),
        el("tbody", {}, m.schema.columns.map((c) => el("tr", { "data-column": c.name }, el("td", { class: "mono" }, c.name, m.schema.primary_key.includes(c.name) ? [" ", badge("muted", "key")] : null), el("td", {}, c.type),
          el("td", {}, c.encryption === "none" ? el("span", { class: "muted" }, "none") : [badge("warn", c.encryption), " ", encryptionHelp[c.encryption]]),
          el("td", {}, c.nullable ? "yes" : "no"))))),
      m.schema.indexes.length ? el("p", { class: "muted" }, "Indexes: " + m.schema.indexes.map((i) => i.name + " (" + i.columns.join(", ") + ")").join("; ")) : null));
    parts.push(el("section", { id: "nodes" }, el("h2", {}, "Nodes"), el("p", { class: "muted" }, "Schedule ", el("code", {}, m.schedule), " — each node's answer to this node just now."),
      nodesTable(d.nodes)));
  }
  parts.push(el("section", { id: "versions" }, el("h2", {}, "Versions on chain"), d.versions.length ? el("table", {},
    el("thead", {}, el("tr", {}, el("th", {}, "Block"), el("th", {}, "Event"), el("th", {}, "Metadata hash"), el("th", {}, ""))),
    el("tbody", {}, d.versions.map((v) => el("tr", {}, el("td", {}, v.block), el("td", {}, v.event), el("td", { class: "mono" }, short(v.metadata_hash, 14)),
      el("td", {}, v.certified ? badge("ok", "certified v" + (m ? m.version : "?")) : ""))))) : el("p", { class: "muted" }, "No events read yet.")));
  parts.push(el("section", { id: "dataset-slashes" }, el("h2", {}, "Slashes"), d.slash_events.length ? slashTable(d.slash_events) : el("p", { class: "muted" }, "Never slashed.")));
  parts.push(howTo(d));
  show("dataset", ...parts);
  document.body.dataset.ready = "dataset";
}

function certifiedSection(d) {
  const m = d.metadata, r = d.record;
  if (!m) return el("section", { id: "certified" }, el("h2", {}, "Certified metadata"), el("p", { class: "error" }, "No verifiable certified record: " + (d.certified_error || "unknown")));
  return el("section", { id: "certified" }, el("h2", {}, "Certified metadata"), terms([
    ["Version", el("span", { id: "certified-version" }, "v" + m.version)],
    ["Verified", r.verified ? el("span", { class: "ok", id: "verified", title: r.verified_by }, "✔ by this node against the chain at block " + r.verified_at_block) : el("span", { class: "bad" }, "no")],
    ["Matches chain", m.hash_matches_chain ? el("span", { class: "ok" }, "the on-chain metadata hash is this version's") : el("span", { class: "warn" }, "an update is between its chain step and certification")],
    ["Checkpoint", "sequence " + r.certificate.sequence + ", epoch " + r.certificate.epoch + ", " + r.certificate.signers.length + " validator signatures"],
    ["State root", el("span", { class: "mono" }, r.certificate.state_root)],
    ["Merkle proof", r.proof.length + " nodes"],
    ["Signed by", el("span", { class: "mono" }, m.signer)],
    ["Workers", m.workers.map((w) => el("div", { class: "mono" }, short(w, 12)))],
    ["Persistence", m.persistence.map((p) => el("div", { class: "mono" }, short(p, 12)))],
    ["Trial policy", m.trial.enabled ? duration(m.trial.duration_seconds) + (m.trial.row_limit ? ", at most " + m.trial.row_limit + " rows" : "") : "none"],
    ["Script", m.script_bytes + " bytes, keccak256 " + short(m.script_hash, 10)],
  ]));
}

function nodesTable(nodes) {
  return el("table", { class: "nodes-table" }, el("thead", {}, el("tr", {}, el("th", {}, "Node"), el("th", {}, "Role"), el("th", {}, "Answer"), el("th", {}, "Version"), el("th", { class: "num" }, "Rows"), el("th", {}, "Last run"))),
    el("tbody", {}, nodes.map((n) => el("tr", {}, el("td", { class: "mono" }, short(n.node_id, 12)), el("td", {}, n.role),
      el("td", {}, n.answered ? el("span", { class: "ok" }, "answered in " + n.rtt_ms + " ms") : el("span", { class: "bad", title: n.error || "" }, "no answer")),
      el("td", {}, n.serving_version ? "serving v" + n.serving_version : n.job_version ? "job v" + n.job_version : n.known_version ? "knows v" + n.known_version : "—"),
      el("td", { class: "num" }, n.rows ? n.rows + (n.rows_capped ? "+" : "") : ""),
      el("td", {}, n.last_run || "")))));
}

function howTo(d) {
  const c = d.connect, you = "<your account address>";
  const cols = d.metadata ? d.metadata.schema.columns.slice(0, 4).map((c) => c.name).join(", ") : "*";
  const lines = [
    "# once: reach this network (your datadir holds your keystore)",
    `export ENIGMA_MARKET_ADDRESS=${c.market} ENIGMA_BOOTSTRAP=${c.bootstrap}`,
    "export ENIGMA_CHAIN_RPC=<an Ethereum JSON-RPC endpoint of chain " + c.chain_id + ">",
    "",
  ];
  if (d.trial_seconds) lines.push(`# try it for ${duration(d.trial_seconds)}, once per account`, `enigma subscriber trial --account ${you} ${d.dataset}`, "");
  lines.push(`# pay ${d.price_per_period.eng} ENG for one 30-day period`, `enigma subscriber subscribe --periods 1 --account ${you} ${d.dataset}`, "",
    "# query it: the node checks your subscription on chain and seals the answer to you",
    `enigma subscriber query --account ${you} ${d.dataset} "SELECT ${cols} FROM ${d.name} LIMIT 10"`);
  return el("section", { id: "howto" }, el("h2", {}, "How to subscribe and query"), el("pre", { id: "howto-commands" }, lines.join("\n")),
    el("p", { class: "muted" }, "Encrypted columns are decrypted by your client with keys a worker seals to you once the chain shows your subscription; the provider need not be online."));
}

function slashTable(slashes, withAttestations) {
  return el("table", { class: "slash-table" }, el("thead", {}, el("tr", {}, el("th", {}, "Block"), el("th", {}, "Dataset"), el("th", {}, "Epoch"), el("th", {}, "Offence"), el("th", { class: "num" }, "Slashed"), el("th", { class: "num" }, "Per subscriber"), withAttestations ? el("th", {}, "Attested by") : null)),
    el("tbody", {}, slashes.map((s) => el("tr", {}, el("td", {}, s.block), el("td", {}, s.dataset ? el("a", { href: datasetHref(s.dataset) }, s.dataset.split("/")[1]) : el("span", { class: "mono" }, short(s.dataset_id))),
      el("td", {}, s.epoch), el("td", {}, s.offence), el("td", { class: "num" }, s.amount.eng + " ENG"), el("td", { class: "num" }, s.per_subscriber.eng + " ENG"),
      withAttestations ? el("td", {}, s.attestations ? [
        el("span", { class: s.attestations.verified ? "ok" : "bad" }, s.attestations.attesters.length + " validator signatures" + (s.attestations.verified ? " ✔" : ", not all of epoch " + s.attestations.epoch + "'s validators")),
        s.attestations.attesters.map((a) => el("div", { class: "muted mono" }, short(a.node_id || a.account, 12)))]
        : el("span", { class: "muted", title: s.attestations_error || "" }, "unreadable")) : null))));
}

// ---------------------------------------------------------------- network

async function networkPage() {
  delete document.body.dataset.ready;
  show("network", el("p", { class: "muted" }, "Loading…"));
  let v, n;
  try { [v, n] = await Promise.all([api("validators"), api("network")]); } catch (err) { return failure("network", err); }
  const parts = [el("h1", {}, "Network"), el("p", { class: "muted" }, `Validator epoch ${v.current_epoch}, chain confirmed to block ${v.confirmed_block}; ${n.datasets} datasets.`)];
  if (n.checkpoint) parts.push(el("section", { id: "checkpoint" }, el("h2", {}, "Newest checkpoint seen"), terms([["Sequence", n.checkpoint.sequence], ["Epoch", n.checkpoint.epoch], ["State root", el("span", { class: "mono" }, n.checkpoint.state_root)], ["Signed by", n.checkpoint.signers.length + " validators"]])));
  for (const e of v.epochs) {
    parts.push(el("section", { class: "epoch", "data-epoch": e.epoch }, el("h2", {}, "Epoch " + e.epoch + " ", e.current ? badge("ok", "current") : badge("muted", e.ended_at ? "ended " + new Date(e.ended_at).toUTCString() : "past")),
      el("p", { class: "muted" }, `${e.members.length} validators; checkpoints need ${e.quorum} signatures, a slash ${e.slash_threshold}.`),
      el("table", { class: "validators-table", id: e.current ? "validators" : null }, el("thead", {}, el("tr", {}, el("th", {}, "Node ID"), el("th", {}, "Account"), el("th", {}, "Liveness"))),
        el("tbody", {}, e.members.map((m) => el("tr", { class: "validator" }, el("td", { class: "mono" }, short(m.node_id, 12)), el("td", { class: "mono" }, short(m.account)),
          el("td", {}, !m.liveness ? "" : m.liveness.answered ? el("span", { class: "ok" }, "answered in " + m.liveness.rtt_ms + " ms") : el("span", { class: "bad", title: m.liveness.error || "" }, "no answer"))))))));
  }
  if (v.pending) parts.push(el("section", {}, el("h2", {}, "Announced: epoch " + v.pending.epoch), el("p", {}, v.pending.accounts.length + " validators, active from " + new Date(v.pending.activates_at).toUTCString())));
  parts.push(el("section", { id: "probes" }, el("h2", {}, "Workers and persistence nodes"), el("p", { class: "muted" }, "What each dataset's nodes answered this node."),
    n.probes.length ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Dataset"), el("th", {}, "Node"), el("th", {}, "Role"), el("th", {}, "Answer"), el("th", {}, "Serving"), el("th", { class: "num" }, "Rows"))),
      el("tbody", {}, n.probes.map((p) => el("tr", {}, el("td", {}, el("a", { href: datasetHref(p.dataset) }, p.dataset.split("/")[1])), el("td", { class: "mono" }, short(p.node_id, 12)), el("td", {}, p.role),
        el("td", {}, p.answered ? el("span", { class: "ok" }, "answered in " + p.rtt_ms + " ms") : el("span", { class: "bad", title: p.error || "" }, "no answer")),
        el("td", {}, p.serving_version ? "v" + p.serving_version : ""), el("td", { class: "num" }, p.rows || "")))))
      : el("p", { class: "muted" }, "No certified dataset yet.")));
  show("network", ...parts);
  document.body.dataset.ready = "network";
}

async function policePage() {
  delete document.body.dataset.ready;
  show("police", el("p", { class: "muted" }, "Loading…"));
  let p;
  try { p = await api("police"); } catch (err) { return failure("police", err); }
  show("police", el("h1", {}, "Police"),
    el("p", { class: "muted" }, "Validators probe every dataset's persistence nodes; when none answers for several rounds they attest it offline through the ledger, and a quorum of attestations slashes the provider's deposit on chain into the subscribers' refund pool. The attesters shown are the signatures each slash transaction carried, checked by this node against the epoch's validator set on chain."),
    el("section", { id: "slashes" }, p.slashes.length ? slashTable(p.slashes, true) : el("p", { class: "muted", id: "no-slashes" }, "No slashes so far.")));
  document.body.dataset.ready = "police";
}

async function nodePage() {
  delete document.body.dataset.ready;
  let s;
  try { s = await api("status"); } catch (err) { return failure("node", err); }
  const v = s.validator;
  show("node", el("h1", {}, "This node"), el("section", { id: "status" }, terms([
    ["Node ID", el("span", { class: "mono" }, s.node_id)], ["Roles", s.roles.join(", ")], ["Overlay", el("span", { class: "mono" }, s.overlay.address)],
    ["Contacts", s.overlay.contacts], ["Chain", "ID " + s.chain.chain_id + ", head " + s.chain.head_block + ", confirmed " + s.chain.confirmed_block + " (" + s.chain.confirmations + " confirmations)"],
    ["Marketplace", el("span", { class: "mono" }, s.chain.market)], ["Validator epoch", s.chain.epoch],
    v && ["Replica", `epoch ${v.epoch}, view ${v.view}${v.in_view_change ? " (changing)" : ""}, stable checkpoint ${v.stable_checkpoint}, executed ${v.last_executed}`],
    ["Up", duration(s.uptime_seconds)],
  ])));
  document.body.dataset.ready = "node";
}

function route() {
  const h = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  if (h.startsWith("datasets/")) return datasetPage(h.slice("datasets/".length));
  if (h === "network") return networkPage();
  if (h === "police") return policePage();
  if (h === "node") return nodePage();
  return listing();
}

window.addEventListener("hashchange", route);
route();
