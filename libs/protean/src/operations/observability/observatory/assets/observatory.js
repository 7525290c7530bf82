// The Observatory page: plain DOM, no framework, no build. Every value from the server is
// written with textContent, never as HTML.
'use strict';

const $ = (selector) => document.querySelector(selector);
const number = (value) => (value === null || value === undefined ? '—' : value.toLocaleString());
const rate = (value) => (value === null || value === undefined ? '—' : value.toFixed(1));

/** An element with text or children. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Calls the Observatory API; a 401 sends the page back to the token form. */
async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: { accept: 'application/json' }, ...options };
  if (options.body !== undefined) {
    init.method = 'POST';
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(`api/${path}`, init);
  if (response.status === 401) {
    location.reload();
    throw new Error('The Observatory needs its token');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new Error(message || `${response.status} ${response.statusText}`);
  }
  return body;
}

function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 4000);
}

const keyOf = (handler, stream) => `${handler}@${stream}`;

/* ---------- overview: dependencies, streams, outbox ---------- */

function renderHealth(overview) {
  const pills = [
    ['database', overview.database],
    ['event store', overview.eventStore],
    ...overview.brokers.map((broker) => [`broker ${broker.name}`, broker]),
  ].map(([name, probe]) =>
    el(
      'li',
      { class: `pill ${probe.up ? 'up' : 'down'}`, title: probe.error ?? probe.provider ?? '' },
      `${name}: ${probe.up ? 'up' : 'down'}`,
    ),
  );
  pills.push(el('li', { class: 'pill up' }, `engine here: ${overview.engine}`));
  $('#health').replaceChildren(...pills);
}

function renderStreams(overview) {
  $('#streams tbody').replaceChildren(
    ...overview.streams.map((stream) =>
      el(
        'tr',
        { 'data-stream': stream.stream },
        el('td', {}, stream.stream),
        el('td', {}, stream.broker),
        el('td', { class: 'num' }, number(stream.length)),
        el('td', { class: 'num' }, number(stream.groups.length)),
        el('td', { class: 'num dead-letters' }, number(stream.deadLetters)),
      ),
    ),
  );
}

function renderOutbox(stats) {
  const box = $('#outbox');
  if (!stats) {
    box.replaceChildren(el('div', {}, el('dt', {}, 'outbox'), el('dd', {}, 'unavailable')));
    return;
  }
  const entries = Object.entries(stats.counts).map(([status, count]) =>
    el(
      'div',
      { class: (status === 'abandoned' || status === 'failed') && count > 0 ? 'warn' : '' },
      el('dt', {}, status),
      el('dd', { 'data-status': status }, number(count)),
    ),
  );
  const age = stats.oldestPendingAgeSeconds;
  entries.push(
    el(
      'div',
      {},
      el('dt', {}, 'oldest waiting'),
      el('dd', {}, age === null ? 'none' : `${age.toFixed(1)} s`),
    ),
  );
  box.replaceChildren(...entries);
}

/* ---------- handlers: live numbers over server-sent events ---------- */

function handlerRow(subscription) {
  return el(
    'tr',
    { 'data-key': keyOf(subscription.handler, subscription.stream) },
    el('td', {}, subscription.handler),
    el('td', {}, subscription.stream),
    el('td', {}, subscription.type ?? ''),
    el('td', { class: 'num processed' }, number(subscription.processed)),
    el('td', { class: 'num rate' }, rate(subscription.rate)),
    el('td', { class: 'num lag' }, number(subscription.lag)),
    el('td', { class: 'num pending' }, number(subscription.pending)),
    workersCell(subscription.workers),
  );
}

/** How many running workers run a handler: `none` stands out, `—` where nobody can tell. */
function workersCell(workers) {
  if (workers === null || workers === undefined) return el('td', { class: 'num workers' }, '—');
  if (workers.length === 0)
    return el('td', { class: 'num workers unserved', title: 'no running worker runs it' }, 'none');
  return el('td', { class: 'num workers', title: workers.join('\n') }, String(workers.length));
}

function renderWorkers(workers) {
  $('#workers-box').hidden = workers === null || workers === undefined;
  $('#workers tbody').replaceChildren(
    ...(workers ?? []).map((worker) =>
      el(
        'tr',
        { 'data-worker': worker.consumer },
        el('td', {}, worker.consumer),
        el('td', {}, worker.pool ?? 'every handler'),
        el('td', { class: 'num' }, number(worker.handlers.length)),
        el('td', {}, worker.seenAt),
      ),
    ),
  );
}

const types = new Map();

function renderHandlers(subscriptions) {
  $('#handlers tbody').replaceChildren(
    ...subscriptions.map((s) =>
      handlerRow({ ...s, type: s.type ?? types.get(keyOf(s.handler, s.stream)) }),
    ),
  );
}

function renderLocal(local) {
  $('#local').hidden = local.length === 0;
  $('#local-counters tbody').replaceChildren(
    ...local.map((row) =>
      el(
        'tr',
        { 'data-key': keyOf(row.handler, row.stream) },
        el('td', {}, row.handler),
        el('td', {}, row.stream),
        el('td', { class: 'num' }, number(row.processed)),
        el('td', { class: 'num' }, number(row.failed)),
        el('td', { class: 'num' }, number(row.retried)),
        el('td', { class: 'num' }, number(row.deadLettered)),
      ),
    ),
  );
}

let lastDeadLetterTotal;

function onSample(sample) {
  renderHandlers(sample.subscriptions);
  renderLocal(sample.local);
  renderOutbox(sample.outbox);
  const total = Object.values(sample.deadLetters).reduce((sum, n) => sum + n, 0);
  if (lastDeadLetterTotal !== undefined && total !== lastDeadLetterTotal) void loadDeadLetters();
  lastDeadLetterTotal = total;
  $('#live-state').textContent = `live · ${new Date(sample.at).toLocaleTimeString()}`;
}

function listen() {
  const events = new EventSource('api/live');
  events.onmessage = (event) => onSample(JSON.parse(event.data));
  events.addEventListener('problem', (event) => {
    $('#live-state').textContent = `problem: ${JSON.parse(event.data).message}`;
  });
  events.onerror = () => {
    $('#live-state').textContent = 'reconnecting…';
  };
}

/* ---------- dead letters ---------- */

async function replay(letter, button) {
  button.disabled = true;
  try {
    await api('dead-letters/replay', {
      body: { broker: letter.broker, stream: letter.stream, id: letter.id },
    });
    button.closest('tr').remove();
    toast(`Replayed ${letter.id} to ${letter.stream}`);
  } catch (error) {
    toast(`Replay failed: ${error.message}`);
  } finally {
    button.disabled = false;
    void loadDeadLetters();
  }
}

async function inspect(letter) {
  try {
    const query = new URLSearchParams({
      broker: letter.broker,
      stream: letter.stream,
      id: letter.id,
    });
    const full = await api(`dead-letters/inspect?${query}`);
    $('#inspect-body').textContent = JSON.stringify(full, null, 2);
    $('#inspect').showModal();
  } catch (error) {
    toast(`Inspect failed: ${error.message}`);
  }
}

async function purge(broker, stream) {
  if (!confirm(`Delete every dead letter of ${stream}? This cannot be undone.`)) return;
  try {
    const { purged } = await api('dead-letters/purge', { body: { broker, stream } });
    toast(`Purged ${purged} dead letter(s) of ${stream}`);
  } catch (error) {
    toast(`Purge failed: ${error.message}`);
  }
  void loadDeadLetters();
}

function deadLetterRow(letter) {
  const message = letter.message;
  return el(
    'tr',
    { 'data-id': letter.id, 'data-stream': letter.stream },
    el('td', {}, letter.id),
    el('td', {}, letter.stream),
    el('td', {}, letter.group),
    el(
      'td',
      {},
      message
        ? el(
            'a',
            {
              class: 'link',
              title: 'Show its trail',
              onclick: () => showTrail(message.correlationId),
            },
            message.type,
          )
        : 'external payload',
    ),
    el('td', { class: 'num' }, letter.attempts),
    el('td', {}, new Date(letter.failedAt).toLocaleString()),
    el('td', { class: 'error' }, letter.error),
    el(
      'td',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => inspect(letter) }, 'Inspect'),
      el(
        'button',
        { type: 'button', onclick: (event) => replay(letter, event.currentTarget) },
        'Replay',
      ),
    ),
  );
}

let loadingDeadLetters;

function loadDeadLetters() {
  loadingDeadLetters ??= api('dead-letters?limit=200')
    .then((letters) => {
      $('#dead-letters tbody').replaceChildren(...letters.map(deadLetterRow));
      $('#dead-letters').hidden = letters.length === 0;
      $('#dlq-empty').hidden = letters.length > 0;
      const streams = new Map(letters.map((l) => [`${l.broker}\n${l.stream}`, l]));
      $('#dlq-purge').replaceChildren(
        ...[...streams.values()].map((l) =>
          el(
            'button',
            { type: 'button', class: 'danger', onclick: () => purge(l.broker, l.stream) },
            `Purge ${l.stream}`,
          ),
        ),
      );
    })
    .catch((error) => toast(`Dead letters: ${error.message}`))
    .finally(() => (loadingDeadLetters = undefined));
  return loadingDeadLetters;
}

/* ---------- message trail ---------- */

function trailNode(node) {
  const m = node.message;
  const details = [];
  if (m.outbox)
    details.push(
      ` · outbox ${m.outbox.status}${m.outbox.retryCount ? ` after ${m.outbox.retryCount} retries` : ''}`,
    );
  const hops = node.hops ?? { handled: [] };
  if (hops.commitToPublishedMs !== undefined)
    details.push(` · published ${hops.commitToPublishedMs} ms after commit`);
  const after = new Map(hops.handled.map((h) => [h.handler, h.ms]));
  const handled = m.handledBy.map((h) =>
    el(
      'li',
      { class: 'handled' },
      `✓ ${h.handler} at ${new Date(h.at).toLocaleTimeString()}` +
        (after.has(h.handler) ? ` (+${after.get(h.handler)} ms)` : ''),
    ),
  );
  const dead = m.deadLetters.map((d) =>
    el(
      'li',
      { class: 'dead' },
      `✗ ${d.group} dead-lettered after ${d.attempts} attempt(s): ${d.error}`,
    ),
  );
  return el(
    'li',
    {},
    el('span', { class: `kind ${m.kind}` }, m.kind),
    el('strong', {}, m.type),
    ` ${m.stream} · ${new Date(m.time).toLocaleTimeString()}`,
    ...details,
    el('ul', {}, ...handled, ...dead, ...node.children.map(trailNode)),
  );
}

async function showTrail(correlationId) {
  $('#trail-id').value = correlationId;
  const box = $('#trail');
  box.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
  try {
    const trail = await api(`trail?${new URLSearchParams({ correlationId })}`);
    const origin = el(
      'li',
      {},
      el('strong', {}, `request ${trail.correlationId}`),
      el(
        'ul',
        {},
        ...trail.handledBy.map((h) => el('li', { class: 'handled' }, `✓ ${h.handler}`)),
        ...trail.deadLetters.map((d) => el('li', { class: 'dead' }, `✗ ${d.group}: ${d.error}`)),
        ...trail.roots.map(trailNode),
      ),
    );
    box.replaceChildren(
      el('p', { class: 'muted' }, `${trail.count} message(s) from ${trail.sources.join(', ')}.`),
      ...trail.notes.map((note) => el('p', { class: 'muted' }, note)),
      el('ul', {}, origin),
    );
    $('#trail-title').scrollIntoView({ behavior: 'smooth' });
  } catch (error) {
    box.replaceChildren(el('p', { class: 'problem' }, error.message));
  }
}

/* ---------- start ---------- */

async function loadOverview() {
  try {
    const overview = await api('overview');
    for (const s of overview.subscriptions) types.set(keyOf(s.handler, s.stream), s.type);
    renderHealth(overview);
    renderStreams(overview);
    renderWorkers(overview.workers);
    renderOutbox(overview.outbox.stats);
    if (!$('#handlers tbody').children.length) renderHandlers(overview.subscriptions);
    renderLocal(overview.local);
  } catch (error) {
    toast(`Overview: ${error.message}`);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#dlq-refresh').addEventListener('click', () => void loadDeadLetters());
  $('#trail-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void showTrail($('#trail-id').value.trim());
  });
  void loadOverview();
  void loadDeadLetters();
  listen();
  setInterval(() => void loadOverview(), 5000);
  setInterval(() => void loadDeadLetters(), 5000);
});
