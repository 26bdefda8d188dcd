// Sluice web console: plain JavaScript over the REST API (/api/status, /api/stores, /api/connectors, /api/alerts,
// /api/dead-letters, /api/datasets).
// Every value from the API is written as text (textContent, SVG text nodes), never as HTML.
'use strict';

const STATUS_EVERY_MS = 2000;
const RECENT_EVERY_MS = 5000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
let previous = null;      // last status sample, for rates
let graph = null;         // the topology graph
let nextCursor = null;    // cursor of the next page of the last range query
let deadLetterCursor = null; // cursor of the next page of dead letters

// ---- helpers ---------------------------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child == null ? '' : String(child)));
  }
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function fill(tbody, rows, emptyText, columns) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    tbody.append(el('tr', {}, el('td', { class: 'empty', colspan: String(columns) }, emptyText)));
  }
  rows.forEach((row) => tbody.append(row));
}

function num(value) {
  return value == null ? '–' : Number(value).toLocaleString('en');
}

function token() {
  return sessionStorage.getItem('sluice.token') || '';
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  // Every call carries the token when one is set: changes always need it, reads when a read token is configured.
  if (token()) headers.Authorization = 'Bearer ' + token();
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
  if (!response.ok) {
    const error = new Error((body && (body.detail || body.title)) || response.statusText);
    error.status = response.status;
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return { body, headers: response.headers };
}

// ---- status ----------------------------------------------------------------------------------------------------

async function refreshStatus() {
  try {
    const { body: status } = await api('/api/status');
    $('status-error').hidden = true;
    renderStatus(status);
  } catch (e) {
    $('status-error').hidden = false;
    $('status-error').textContent = e.status === 401
      ? 'this API needs a token to read: enter it under Connectors (./sluice up prints where it is kept)'
      : 'status unavailable: ' + e.message;
  }
}

function renderStatus(status) {
  $('app-id').textContent = 'application ' + status.applicationId;
  $('updated').textContent = 'updated ' + new Date(status.time).toLocaleTimeString();
  const now = Date.parse(status.time);
  const dlqTotal = status.deadLetters ? status.deadLetters.total : null;
  if (previous && now > previous.time) {
    const seconds = (now - previous.time) / 1000;
    $('rate-in').textContent = Math.max(0, (status.lag.processed - previous.processed) / seconds).toFixed(1);
    if (dlqTotal != null && previous.dlq != null) {
      $('dlq-rate').textContent = '+' + Math.max(0, (dlqTotal - previous.dlq) / seconds).toFixed(1) + '/s';
    }
  }
  previous = { time: now, processed: status.lag.processed, dlq: dlqTotal };
  $('processed').textContent = num(status.lag.processed) + ' bronze records processed';
  $('lag-total').textContent = status.lag.error ? '?' : num(status.lag.totalLag);
  $('dlq-total').textContent = dlqTotal == null ? 'off' : num(dlqTotal);
  const running = status.instances.filter((i) => i.state === 'RUNNING').length;
  $('instances-count').textContent = running + ' / ' + status.instances.length;
  $('instances-states').textContent = 'running / known';
  const compaction = status.compaction;
  $('compaction-state').textContent = !compaction.enabled ? 'off' : compaction.running ? 'running' : 'idle';
  $('compaction-last').textContent = compaction.lastRun
    ? 'run ' + compaction.lastRun + ' ' + compaction.lastStatus : '';

  fill($('lag').tBodies[0], status.lag.topics.map((t) => el('tr', {}, el('td', {}, t.topic), el('td', {}, t.kind),
    el('td', { class: 'num' }, num(t.committed)), el('td', { class: 'num' }, num(t.lag)))),
  status.lag.error || 'no input topic', 4);

  const reasons = status.deadLetters ? status.deadLetters.reasons : [];
  fill($('dlq-reasons').tBodies[0], reasons.map((r) => el('tr', {}, el('td', {}, r.stage), el('td', {}, r.code),
    el('td', {}, r.rule || ''), el('td', { class: 'num' }, num(r.count)))),
  status.deadLetters ? 'no dead letters' : 'dead-letter monitor disabled', 4);

  fill($('instances').tBodies[0], status.instances.map((i) => el('tr', {},
    el('td', {}, i.instance + (i.self ? ' (this)' : '')),
    el('td', { class: 'state-' + (i.state || 'ERROR') }, i.reachable ? i.state : 'unreachable: ' + i.error),
    el('td', { class: 'num' }, num(i.recordsIn)),
    el('td', {}, Object.entries(i.stores || {}).map(([store, p]) =>
      store + ' ' + p.active.join(',') + (p.standby.length ? ' / ' + p.standby.join(',') : '')).join('; ')))),
  'no instance', 4);

  renderFreshness(status.freshness);
  renderConnectors(status.connectors);
}

// Latency from the source commit or event time to each layer, over the status API's window, against the SLA.
function renderFreshness(freshness) {
  $('freshness-window').textContent = '(source to layer, last ' + Math.round(freshness.windowSeconds / 60)
    + ' min, this instance)';
  fill($('freshness').tBodies[0], freshness.datasets.map((f) => el('tr', {},
    el('td', {}, f.dataset), el('td', {}, f.layer), el('td', { class: 'num' }, seconds(f.p50Seconds)),
    el('td', { class: 'num' }, seconds(f.p99Seconds)), el('td', { class: 'num' }, seconds(f.maxSeconds)),
    el('td', { class: 'num' }, seconds(f.slaSeconds)), el('td', { class: 'sla-' + f.sla }, f.sla),
    el('td', {}, f.lastMeasured))), 'nothing measured yet', 8);
}

function seconds(value) {
  return value == null ? '–' : value < 120 ? value.toFixed(1) + ' s' : (value / 60).toFixed(1) + ' min';
}

async function refreshRecent() {
  try {
    const { body: letters } = await api('/api/status/dead-letters/recent?limit=20');
    fill($('dlq-recent').tBodies[0], letters.map((d) => el('tr', {},
      el('td', {}, d.errorTime || d.timestamp), el('td', {}, d.stage), el('td', {}, d.code),
      el('td', {}, d.rule || ''), el('td', {}, d.errorClass || ''),
      el('td', {}, [d.sourceTopic, d.sourcePartition, d.sourceOffset].filter((v) => v != null).join(' / ')),
      el('td', {}, d.topic + ' / ' + d.partition + ' / ' + d.offset))), 'no dead letters', 7);
  } catch (e) {
    fill($('dlq-recent').tBodies[0], [], e.message, 7);
  }
}

// ---- alerts ----------------------------------------------------------------------------------------------------

function alertRow(a) {
  const about = Object.entries(a.labels || {}).map(([k, v]) => k + '=' + v).join(', ');
  return el('tr', { class: 'alert-' + String(a.state).toLowerCase() }, el('td', {}, a.state), el('td', {}, a.rule),
    el('td', {}, about), el('td', {}, a.summary), el('td', {}, a.since), el('td', {}, a.firedAt || ''),
    el('td', {}, a.resolvedAt || ''));
}

async function refreshAlerts() {
  try {
    const { body } = await api('/api/alerts');
    // Active alerts first, then the recent transitions that are no longer active (resolved ones).
    const rows = body.active.map(alertRow).concat(body.recent.filter((a) => a.state === 'RESOLVED').map(alertRow));
    fill($('alerts').tBodies[0], rows, 'no alerts', 7);
  } catch (e) {
    fill($('alerts').tBodies[0], [], e.status === 404 ? 'alerts are off (sluice.alerts.enabled)' : e.message, 7);
  }
}

// ---- connectors ------------------------------------------------------------------------------------------------

function renderConnectors(connectors) {
  const tbody = $('connectors').tBodies[0];
  if (!connectors.available) {
    fill(tbody, [], connectors.error || 'Kafka Connect unavailable', 6);
    return;
  }
  const auto = connectors.autoRestart || { enabled: false };
  fill(tbody, connectors.items.map((c) => {
    const tasks = c.tasks.map((t) => t.id + ':' + t.state).join(' ');
    const actions = el('td', {},
      el('button', { type: 'button', onclick: () => act(c.name, 'pause') }, 'Pause'), ' ',
      el('button', { type: 'button', onclick: () => act(c.name, 'resume') }, 'Resume'), ' ',
      el('button', { type: 'button', onclick: () => act(c.name, 'restart?includeTasks=true&onlyFailed=true') },
        'Restart failed'));
    return el('tr', { 'data-connector': c.name }, el('td', {}, c.name), el('td', {}, c.type || ''),
      el('td', { class: 'state-' + c.state, title: c.error || '' }, c.state), el('td', {}, tasks),
      autoRestartCell(auto, c.tasks), actions);
  }), 'No connectors yet: create them with POST /api/connectors (docs/connectors/rest-api.md).', 6);
}

// What the automatic restarter did about each failed task (docs/operations.md, "Supervision").
function autoRestartCell(auto, tasks) {
  if (!auto.enabled) {
    return el('td', { class: 'muted' }, 'off');
  }
  if (!auto.active) {
    return el('td', { class: 'muted', title: 'one instance restarts: the one holding stream partition 0' },
      'by another instance');
  }
  const lines = tasks.filter((t) => t.autoRestart).map((t) => {
    const r = t.autoRestart;
    if (r.gaveUp) {
      return el('div', { class: 'state-FAILED' }, 'task ' + t.id + ': gave up after ' + r.attempts
        + ' restarts, restart it by hand once fixed');
    }
    return el('div', {}, 'task ' + t.id + ': ' + r.attempts + '/' + r.maxAttempts + ' restarts'
      + (r.lastRestart ? ', last ' + new Date(r.lastRestart).toLocaleTimeString() : '')
      + (t.state === 'FAILED' && r.nextAttempt ? ', next ' + new Date(r.nextAttempt).toLocaleTimeString() : ''));
  });
  return el('td', {}, ...(lines.length ? lines : ['–']));
}

async function act(name, action) {
  const message = $('connector-message');
  try {
    await api('/api/connectors/' + encodeURIComponent(name) + '/' + action, { method: 'POST' });
    message.className = 'muted';
    message.textContent = action.split('?')[0] + ' requested for ' + name;
    setTimeout(refreshStatus, 500);
  } catch (e) {
    message.className = 'error';
    message.textContent = e.status === 401
      ? 'the API token is missing or wrong: enter it above (./sluice up prints where it is kept)' : e.message;
  }
}

// ---- datasets --------------------------------------------------------------------------------------------------

// The running topology carries the dataset directory as it was at start: say when a change waits for a restart.
function restartText(restart) {
  if (restart.state === 'pending-restart') return 'pending restart: the topology runs an older dataset directory; '
    + 'apply with: ' + restart.restartCommand;
  if (restart.state === 'restarting') return 'restarting to apply the changed datasets';
  return restart.error ? 'dataset directory unreadable: ' + restart.error : 'the topology runs every dataset below';
}

async function refreshDatasets() {
  try {
    const { body } = await api('/api/datasets');
    const notice = $('datasets-restart');
    notice.textContent = restartText(body.restart);
    notice.className = body.restart.state === 'running' ? 'muted' : 'error';
    fill($('datasets').tBodies[0], body.datasets.map((d) => {
      const s = d.status;
      const freshness = s ? s.freshness.map((f) => f.layer + ' ' + f.sla).join(', ') : '';
      return el('tr', { 'data-dataset': d.name },
        el('td', {}, el('a', { href: '#', onclick: (event) => { event.preventDefault(); loadDataset(d.name); } },
          d.name)),
        el('td', {}, d.kind || ''), el('td', {}, d.bronzeTopic || ''),
        el('td', { title: d.error || '' }, d.error ? 'invalid: ' + d.error : d.silverTopic),
        el('td', { class: 'num' }, s ? num(s.recordsIn) : '–'), el('td', { class: 'num' }, s ? num(s.silverOut) : '–'),
        el('td', { class: 'num', title: s && s.deadLetters ? reasonsOf(s.deadLetters) : '' },
          s && s.deadLetters ? num(s.deadLetters.total) : '–'),
        el('td', {}, freshness || '–'), el('td', { class: 'num' }, s ? num(s.lake.commits) : '–'));
    }), 'no dataset specification in ' + body.directory, 9);
  } catch (e) {
    fill($('datasets').tBodies[0], [], 'datasets unavailable: ' + e.message, 9);
  }
}

function reasonsOf(deadLetters) {
  return deadLetters.reasons.map((r) => r.stage + ' ' + r.code + (r.rule ? ' ' + r.rule : '') + ': ' + r.count)
    .join('\n');
}

async function loadDataset(name) {
  try {
    const { body } = await api('/api/datasets/' + encodeURIComponent(name));
    $('ds-name').value = body.name;
    $('ds-yaml').value = body.yaml;
    $('ds-message').className = body.error ? 'error' : 'muted';
    $('ds-message').textContent = body.error || restartText(body.restart);
  } catch (e) {
    $('ds-message').className = 'error';
    $('ds-message').textContent = e.message;
  }
}

// Validate (nothing changes), save (applied, then written) or delete; each answer says whether a restart is pending.
async function changeDataset(method, validateOnly) {
  const name = $('ds-name').value.trim();
  const message = $('ds-message');
  try {
    const options = { method };
    if (method === 'PUT') {
      options.body = $('ds-yaml').value;
      options.headers = { 'Content-Type': 'application/yaml' };
    }
    const { body } = await api('/api/datasets/' + encodeURIComponent(name)
      + (validateOnly ? '?validateOnly=true' : ''), options);
    message.className = 'muted';
    message.textContent = name + ': ' + body.outcome + ' (' + body.actions.join(', ') + '); '
      + restartText(body.restart);
    refreshDatasets();
  } catch (e) {
    message.className = 'error';
    message.textContent = e.status === 401
      ? 'changes need the API token: enter it under Connectors (./sluice up prints where it is kept)' : e.message;
  }
}

// ---- topology --------------------------------------------------------------------------------------------------

async function loadTopology() {
  try {
    const { body } = await api('/api/status/topology');
    graph = body;
    const select = $('subtopology');
    for (const s of graph.subtopologies) {
      select.append(el('option', { value: String(s.id) }, s.id + (s.global ? ' (global)' : '') + ' · ' + s.nodes
        + ' nodes'));
    }
    drawTopology();
  } catch (e) {
    $('topology').replaceChildren(el('p', { class: 'error' }, 'topology unavailable: ' + e.message));
  }
}

/** The nodes and edges to show: everything, or one sub-topology with the topics and stores it touches. */
function visibleGraph() {
  const chosen = $('subtopology').value;
  if (chosen === '') return { nodes: graph.nodes, edges: graph.edges };
  const id = Number(chosen);
  const keep = new Set(graph.nodes.filter((n) => n.subtopology === id && n.type !== 'store').map((n) => n.id));
  const touching = graph.edges.filter((e) => keep.has(e.from) || keep.has(e.to));
  touching.forEach((e) => { keep.add(e.from); keep.add(e.to); });
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: touching };
}

/** Layered layout: longest path from the sources gives each node its column, barycenters order each column. */
function layout(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  const incoming = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (out.has(e.from) && out.has(e.to)) { out.get(e.from).push(e.to); incoming.get(e.to).push(e.from); }
  }
  const layer = new Map();
  const visiting = new Set();
  const depth = (id) => {
    if (layer.has(id)) return layer.get(id);
    if (visiting.has(id)) return 0; // a cycle: cut it here
    visiting.add(id);
    let d = 0;
    for (const from of incoming.get(id)) d = Math.max(d, depth(from) + 1);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  nodes.forEach((n) => depth(n.id));
  const columns = [];
  for (const n of nodes) {
    const l = layer.get(n.id);
    (columns[l] = columns[l] || []).push(n.id);
  }
  const position = new Map();
  const index = () => columns.forEach((col) => col && col.forEach((id, i) => position.set(id, i)));
  index();
  const barycenter = (id, neighbours) => {
    const ps = neighbours.get(id).filter((n) => position.has(n)).map((n) => position.get(n));
    return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : position.get(id);
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? columns : [...columns].reverse();
    for (const col of order) {
      if (!col) continue;
      const weights = new Map(col.map((id) => [id, barycenter(id, down ? incoming : out)]));
      col.sort((a, b) => weights.get(a) - weights.get(b));
      col.forEach((id, i) => position.set(id, i));
    }
  }
  return { layer, position, columns };
}

function drawTopology() {
  const { nodes, edges } = visibleGraph();
  const { layer, position, columns } = layout(nodes, edges);
  const width = 150;
  const height = 22;
  const colGap = 70;
  const rowGap = 10;
  const rows = Math.max(1, ...columns.map((c) => (c ? c.length : 0)));
  const box = svg('svg', {
    width: String(columns.length * (width + colGap) + 20), height: String(rows * (height + rowGap) + 20),
    role: 'img', 'aria-label': 'topology graph',
  });
  const at = (id) => ({ x: 10 + layer.get(id) * (width + colGap), y: 10 + position.get(id) * (height + rowGap) });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    const a = at(e.from);
    const b = at(e.to);
    const x1 = a.x + width;
    const y1 = a.y + height / 2;
    const x2 = b.x;
    const y2 = b.y + height / 2;
    const bend = Math.max(30, (x2 - x1) / 2);
    box.append(svg('path', { class: 'edge ' + e.kind, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }));
  }
  for (const n of nodes) {
    const p = at(n.id);
    const g = svg('g', { class: 'node ' + n.type, 'data-id': n.id, 'data-type': n.type,
      transform: `translate(${p.x},${p.y})` });
    g.append(svg('rect', { width: String(width), height: String(height), rx: '4',
      fill: getComputedStyle(document.documentElement).getPropertyValue('--' + n.type).trim() || '#888' }));
    const label = svg('text', { x: '6', y: '15' });
    label.textContent = n.name.length > 25 ? n.name.slice(0, 24) + '…' : n.name;
    const title = svg('title');
    title.textContent = n.type + ' ' + n.name + (n.subtopology != null ? ' (sub-topology ' + n.subtopology + ')' : '')
      + (n.detail && n.detail.length ? '\n' + n.detail.join('\n') : '');
    g.append(title, label);
    box.append(g);
  }
  $('topology').replaceChildren(box);
}

// ---- queries ---------------------------------------------------------------------------------------------------

function queryPath(cursor) {
  const store = $('q-store').value;
  const mode = $('q-mode').value;
  const params = new URLSearchParams();
  const add = (name, id) => { const v = $(id).value.trim(); if (v) params.set(name, v); };
  if (mode === 'top') {
    add('hour', 'q-hour');
    add('n', 'q-n');
    return '/api/stores/product-revenue-hourly/top?' + params;
  }
  if (store !== 'customer-totals') { add('from', 'q-from'); add('to', 'q-to'); }
  if (mode === 'key') {
    const key = $('q-key').value.trim();
    if (!key) throw new Error('enter a key');
    const query = params.toString();
    return '/api/stores/' + store + '/' + encodeURIComponent(key) + (query ? '?' + query : '');
  }
  add('keyFrom', 'q-key');
  add('keyTo', 'q-key-to');
  params.set('limit', '20');
  if (cursor) params.set('cursor', cursor);
  return '/api/stores/' + store + '?' + params;
}

async function runQuery(cursor) {
  const result = $('query-result');
  const meta = $('query-meta');
  let path;
  try {
    path = queryPath(cursor);
  } catch (e) {
    meta.textContent = e.message;
    return;
  }
  meta.textContent = 'GET ' + path;
  try {
    const { body, headers } = await api(path);
    const servedBy = headers.get('X-Sluice-Served-By');
    meta.textContent = 'GET ' + path + (servedBy ? ' · served by ' + servedBy : '')
      + (headers.get('X-Sluice-Stale') ? ' · from a standby replica' : '');
    nextCursor = body && body.next ? body.next : null;
    $('q-next').hidden = !nextCursor;
    result.replaceChildren(renderResult(body));
  } catch (e) {
    nextCursor = null;
    $('q-next').hidden = true;
    result.replaceChildren(el('p', { class: 'error' }, (e.status ? e.status + ': ' : '') + e.message
      + (e.retryAfter ? ' (retry after ' + e.retryAfter + ' s)' : '')));
  }
}

/** A page, a key's totals with their windows, or one value: as tables. */
function renderResult(body) {
  const list = body.items || body.hours || body.days || body.sessions || body.products;
  const wrapper = el('div');
  const scalars = Object.entries(body).filter(([, v]) => !Array.isArray(v) && (v === null || typeof v !== 'object'));
  if (!body.items && scalars.length) {
    wrapper.append(table(scalars.map(([k, v]) => ({ field: k, value: v })), ['field', 'value']));
  }
  if (list) {
    wrapper.append(list.length ? table(list, Object.keys(list[0]))
      : el('p', { class: 'muted' }, 'nothing in this range'));
  }
  return wrapper;
}

function table(rows, columns) {
  return el('table', { class: 'result' },
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...columns.map((c) => el('td', {}, row[c]))))));
}

function syncQueryForm() {
  const mode = $('q-mode').value;
  const store = $('q-store').value;
  if (mode === 'top') $('q-store').value = 'product-revenue-hourly';
  document.querySelectorAll('#query-form .top').forEach((n) => { n.hidden = mode !== 'top'; });
  document.querySelectorAll('#query-form .range').forEach((n) => { n.hidden = mode !== 'range'; });
  document.querySelectorAll('#query-form .time').forEach((n) => {
    n.hidden = mode === 'top' || store === 'customer-totals';
  });
  $('q-key').parentElement.hidden = mode === 'top';
}

/** #query=<store>/<key> or #query=<store> runs a query on load, so that a query can be linked to. */
function queryFromHash() {
  const match = /^#query=([a-z-]+)(?:\/(.+))?$/.exec(location.hash);
  if (!match) return;
  $('q-store').value = match[1];
  $('q-mode').value = match[2] ? 'key' : 'range';
  if (match[2]) $('q-key').value = decodeURIComponent(match[2]);
  syncQueryForm();
  runQuery(null);
}

// ---- dead letters: find, inspect, redrive (docs/dlq.md) -------------------------------------------------------

function deadLetterFilter() {
  const filter = {};
  for (const name of ['stage', 'code', 'rule', 'source', 'from', 'to']) {
    const value = $('dl-' + name).value.trim();
    if (value) filter[name] = value;
  }
  return filter;
}

async function findDeadLetters(cursor) {
  const params = new URLSearchParams({ ...deadLetterFilter(), limit: '50' });
  if (cursor) params.set('cursor', cursor);
  try {
    const { body } = await api('/api/dead-letters?' + params);
    deadLetterCursor = body.nextCursor;
    $('dl-next').hidden = !deadLetterCursor;
    fill($('dl-list').tBodies[0], body.items.map((d) => el('tr', {},
      el('td', {}, d.coordinates), el('td', {}, d.errorTime || d.timestamp), el('td', {}, d.stage),
      el('td', {}, d.code), el('td', {}, d.rule || ''),
      el('td', {}, [d.sourceTopic, d.sourcePartition, d.sourceOffset].filter((v) => v != null).join(' / ')),
      el('td', {}, el('button', { type: 'button', onclick: () => showDeadLetter(d.coordinates) }, 'Show')))),
      'no dead letters match', 7);
  } catch (e) {
    fill($('dl-list').tBodies[0], [], e.message, 7);
  }
}

// The content (message, key, value) comes only with the API token; personal fields are as silver has them.
async function showDeadLetter(coordinates) {
  const detail = $('dl-detail');
  try {
    const { body } = await api('/api/dead-letters/' + coordinates.split('/').map(encodeURIComponent).join('/'));
    detail.textContent = (body.payloadShown ? '' : 'headers only: enter the API token above to see the content\n')
      + JSON.stringify(body, null, 2);
  } catch (e) {
    detail.textContent = e.message;
  }
  detail.hidden = false;
}

async function replayDeadLetters(dryRun) {
  const message = $('dl-message');
  const filter = deadLetterFilter();
  if (!dryRun && !confirm('Redrive every dead letter matching this filter into its source topic?')) return;
  try {
    const { body } = await api('/api/dead-letters/replays', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...filter, dryRun }),
    });
    message.className = 'muted';
    message.textContent = (dryRun ? 'dry run: would redrive ' : 'redrove ') + body.replayed + ' of '
      + body.selected + ' selected; already redriven ' + body.alreadyReplayed + ', not redrivable '
      + body.notReplayable + reasonsText(body.reasons);
    if (!dryRun && body.id) followReplay(body.id, 0);
  } catch (e) {
    message.className = 'error';
    message.textContent = e.status === 401
      ? 'a redrive needs the API token: enter it above (./sluice up prints where it is kept)' : e.message;
  }
}

function reasonsText(reasons) {
  const entries = Object.entries(reasons || {});
  return entries.length ? ' (' + entries.map(([k, v]) => k + ': ' + v).join(', ') + ')' : '';
}

// Polls the redrive's outcome until every redriven record is in silver or dead-lettered again (or a minute passed).
async function followReplay(id, attempt) {
  try {
    const { body } = await api('/api/dead-letters/replays/' + encodeURIComponent(id));
    $('dl-message').textContent = 'redrive ' + id + ': ' + body.run.replayed + ' redriven, ' + body.nowInSilver
      + ' now in silver, ' + body.deadLetteredAgain + ' dead-lettered again, ' + body.pending + ' pending';
    if (body.pending > 0 && attempt < 30) setTimeout(() => followReplay(id, attempt + 1), 2000);
  } catch (e) {
    $('dl-message').textContent = e.message;
  }
}

// ---- start -----------------------------------------------------------------------------------------------------

$('query-form').addEventListener('submit', (event) => { event.preventDefault(); runQuery(null); });
$('q-next').addEventListener('click', () => runQuery(nextCursor));
$('q-mode').addEventListener('change', syncQueryForm);
$('q-store').addEventListener('change', syncQueryForm);
$('subtopology').addEventListener('change', drawTopology);
$('dl-form').addEventListener('submit', (event) => { event.preventDefault(); findDeadLetters(null); });
$('dl-next').addEventListener('click', () => findDeadLetters(deadLetterCursor));
$('dl-dry').addEventListener('click', () => replayDeadLetters(true));
$('dl-replay').addEventListener('click', () => replayDeadLetters(false));
$('ds-form').addEventListener('submit', (event) => { event.preventDefault(); changeDataset('PUT', false); });
$('ds-validate').addEventListener('click', () => changeDataset('PUT', true));
$('ds-delete').addEventListener('click', () => changeDataset('DELETE', false));
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('sluice.token', $('token').value);
  $('token').value = '';
  $('connector-message').textContent = token() ? 'token set for this tab' : 'token cleared';
});
syncQueryForm();
loadTopology();
refreshStatus();
refreshRecent();
refreshAlerts();
refreshDatasets();
queryFromHash();
setInterval(refreshStatus, STATUS_EVERY_MS);
setInterval(refreshRecent, RECENT_EVERY_MS);
setInterval(refreshAlerts, RECENT_EVERY_MS);
setInterval(refreshDatasets, RECENT_EVERY_MS);
