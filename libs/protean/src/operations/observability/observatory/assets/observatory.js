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
  // A producer-only process (an API without the engine) has no engine of its own to show.
  if (overview.engine !== 'idle')
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
    el(
      'td',
      { class: 'history' },
      sparkline(histories.get(keyOf(subscription.handler, subscription.stream))),
    ),
  );
}

/* ---------- history: throughput and lag over the last hour ---------- */

const histories = new Map();
const SVG = 'http://www.w3.org/2000/svg';

/** The points of one series as a polyline over `width` × `height`, scaled to its own maximum. */
function polyline(points, index, width, height, cls) {
  const values = points.map((point) => point[index]);
  const max = Math.max(0, ...values.filter((v) => v !== null));
  const start = points[0][0];
  const span = Math.max(1, points[points.length - 1][0] - start);
  const coordinates = points
    .map((point, n) =>
      values[n] === null
        ? null
        : `${(((point[0] - start) / span) * width).toFixed(1)},${(height - 1 - (max > 0 ? values[n] / max : 0) * (height - 2)).toFixed(1)}`,
    )
    .filter(Boolean)
    .join(' ');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', coordinates);
  line.setAttribute('class', cls);
  return { line, max };
}

/** Two small lines: messages/s (blue) and lag (amber), each to its own scale. */
function sparkline(points) {
  if (!points || points.length < 2) return '—';
  const [width, height] = [120, 26];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const rate = polyline(points, 1, width, height, 'rate');
  const lag = polyline(points, 2, width, height, 'lag');
  const minutes = Math.round((points[points.length - 1][0] - points[0][0]) / 60000);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `last ${minutes} min: up to ${rate.max.toFixed(1)} msg/s, lag up to ${lag.max.toLocaleString()}`;
  svg.append(title, lag.line, rate.line);
  return svg;
}

async function loadHistory() {
  try {
    const { subscriptions } = await api('history');
    histories.clear();
    for (const s of subscriptions) histories.set(keyOf(s.handler, s.stream), s.points);
  } catch (error) {
    toast(`History: ${error.message}`);
  }
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
  if (lastDeadLetterTotal !== undefined && total !== lastDeadLetterTotal)
    void loadDeadLetters({ count: true });
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

/* ---------- dead letters: a filtered selection, page by page ---------- */

const dlq = {
  /** The filter applied (the form's values when last submitted). */
  filter: {},
  /** The cursor each page visited starts after (`undefined`: the first page). */
  starts: [undefined],
  /** Where the next page starts; `null` on the last. */
  next: null,
  pageSize: 50,
};

/** The filter as query fields: times in the form's local time become ISO-8601. */
function filterFields() {
  const fields = {};
  for (const [key, value] of Object.entries(dlq.filter)) {
    if (value === '') continue;
    fields[key] = key === 'since' || key === 'until' ? new Date(value).toISOString() : value;
  }
  return fields;
}

/** The selection in words, as the confirmation says it. */
function described(fields) {
  const parts = [fields.stream ? `of stream ${fields.stream}` : 'of every stream'];
  if (fields.handler) parts.push(`given up by ${fields.handler}`);
  if (fields.error) parts.push(`with an error containing "${fields.error}"`);
  if (fields.since) parts.push(`from ${new Date(fields.since).toLocaleString()}`);
  if (fields.until) parts.push(`to ${new Date(fields.until).toLocaleString()}`);
  return parts.join(' ');
}

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

/**
 * Replays or purges every letter of the filter, batch by batch, after a confirmation that says
 * what and how many (as the CLI asks). Letters dead-lettered after the confirmation are left.
 */
async function bulk(action) {
  const fields = filterFields();
  const { count, complete } = await api(`dead-letters/count?${new URLSearchParams(fields)}`);
  if (count === 0) return toast('No dead letters match the filter.');
  const how = `${complete ? '' : 'at least '}${count.toLocaleString()}`;
  const question =
    action === 'replay'
      ? `Replay ${how} dead letter(s) ${described(fields)}?`
      : `Delete ${how} dead letter(s) ${described(fields)}? This cannot be undone.`;
  if (!confirm(question)) return;
  const body = { ...fields, action, asOf: new Date().toISOString() };
  if (!fields.stream) body.all = true;
  const progress = $('#dlq-progress');
  let done = 0;
  let unreplayable = 0;
  try {
    for (let after; ;) {
      const answer = await api('dead-letters/bulk', { body: after ? { ...body, after } : body });
      done += answer.done;
      unreplayable += answer.unreplayable;
      progress.textContent = `${action === 'replay' ? 'replayed' : 'purged'} ${done.toLocaleString()}…`;
      if (!answer.next) break;
      after = answer.next;
    }
    toast(
      `${action === 'replay' ? 'Replayed' : 'Purged'} ${done.toLocaleString()} dead letter(s)` +
        (unreplayable ? `; ${unreplayable} without data left` : ''),
    );
    progress.textContent = `${action === 'replay' ? 'replayed' : 'purged'} ${done.toLocaleString()}`;
  } catch (error) {
    toast(`${action === 'replay' ? 'Replay' : 'Purge'} stopped after ${done}: ${error.message}`);
  }
  dlq.starts = [undefined];
  void loadDeadLetters({ count: true });
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
      { class: 'message' },
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
        : el('span', { class: 'muted' }, 'external entry'),
      el('span', { class: 'summary', title: letter.summary }, letter.summary),
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

/** Shows the current page of the filter (and, when asked, how many letters it holds). */
function loadDeadLetters({ count = false } = {}) {
  const fields = filterFields();
  const page = dlq.starts.length - 1;
  const after = dlq.starts[page];
  const query = new URLSearchParams({ ...fields, limit: String(dlq.pageSize) });
  if (after) query.set('after', after);
  if (count) void loadCount(fields);
  loadingDeadLetters ??= api(`dead-letters?${query}`)
    .then(({ letters, next }) => {
      dlq.next = next;
      $('#dead-letters tbody').replaceChildren(...letters.map(deadLetterRow));
      $('#dead-letters').hidden = letters.length === 0;
      $('#dlq-empty').hidden = letters.length > 0;
      $('#dlq-empty').textContent =
        Object.keys(fields).length > 0 ? 'No dead letters match the filter.' : 'No dead letters.';
      const first = page * dlq.pageSize + 1;
      $('#dlq-page').textContent =
        letters.length > 0
          ? `${first.toLocaleString()}–${(first + letters.length - 1).toLocaleString()}, oldest first`
          : '';
      $('#dlq-prev').disabled = page === 0;
      $('#dlq-next').disabled = !next;
    })
    .catch((error) => toast(`Dead letters: ${error.message}`))
    .finally(() => (loadingDeadLetters = undefined));
  return loadingDeadLetters;
}

async function loadCount(fields) {
  try {
    const { count, complete } = await api(`dead-letters/count?${new URLSearchParams(fields)}`);
    $('#dlq-count').textContent =
      `${complete ? '' : 'at least '}${count.toLocaleString()} ` +
      (Object.keys(fields).length > 0 ? 'match' : 'in all');
    $('#dlq-replay-all').disabled = count === 0;
    $('#dlq-purge-all').disabled = count === 0;
  } catch {
    $('#dlq-count').textContent = '';
  }
}

/** The filter's choices: the streams that have dead letters, the handlers there are. */
function renderFilterChoices(overview) {
  const choose = (select, values) => {
    const chosen = select.value;
    const first = select.options[0];
    select.replaceChildren(first, ...values.map((value) => el('option', { value }, value)));
    select.value = values.includes(chosen) ? chosen : '';
  };
  const form = $('#dlq-filter');
  choose(
    form.elements.stream,
    overview.streams.filter((s) => s.deadLetters > 0).map((s) => s.stream),
  );
  choose(form.elements.handler, [...new Set(overview.subscriptions.map((s) => s.handler))].sort());
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
    const traces = (trail.traceIds ?? []).map((id) => el('code', { class: 'trace' }, id));
    box.replaceChildren(
      el('p', { class: 'muted' }, `${trail.count} message(s) from ${trail.sources.join(', ')}.`),
      traces.length
        ? el('p', { class: 'traces' }, traces.length > 1 ? 'traces ' : 'trace ', ...traces)
        : null,
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
    renderFilterChoices(overview);
    if (!$('#handlers tbody').children.length) renderHandlers(overview.subscriptions);
    renderLocal(overview.local);
  } catch (error) {
    toast(`Overview: ${error.message}`);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#dlq-refresh').addEventListener('click', () => void loadDeadLetters({ count: true }));
  const filter = $('#dlq-filter');
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    dlq.filter = Object.fromEntries(new FormData(filter));
    dlq.starts = [undefined];
    void loadDeadLetters({ count: true });
  });
  filter.addEventListener('reset', () => {
    dlq.filter = {};
    dlq.starts = [undefined];
    setTimeout(() => void loadDeadLetters({ count: true }));
  });
  $('#dlq-next').addEventListener('click', () => {
    if (!dlq.next) return;
    dlq.starts.push(dlq.next);
    void loadDeadLetters();
  });
  $('#dlq-prev').addEventListener('click', () => {
    if (dlq.starts.length > 1) dlq.starts.pop();
    void loadDeadLetters();
  });
  $('#dlq-replay-all').addEventListener('click', () => void bulk('replay'));
  $('#dlq-purge-all').addEventListener('click', () => void bulk('purge'));
  $('#trail-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void showTrail($('#trail-id').value.trim());
  });
  void loadHistory().then(loadOverview);
  void loadDeadLetters({ count: true });
  listen();
  setInterval(() => void loadOverview(), 5000);
  // The page every few seconds; the count (a longer read) when the dead letters change.
  setInterval(() => void loadDeadLetters(), 5000);
  setInterval(() => void loadHistory(), 10000);
});
