// Crisis Alerts admin console: plain JavaScript module, no build step, no dependencies. Calls the admin API on the same
// origin. Data from the API is only ever inserted with textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const KEY = 'crisis-alerts-function-key';
const state = { list: null, etag: null, errors: [], theirs: null, subscriberContinuation: null };

function status(text) { $('status').textContent = text; }

async function api(method, path, { body, headers = {}, raw = false } = {}) {
  const key = sessionStorage.getItem(KEY);
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (key) init.headers['x-functions-key'] = key;
  if (body !== undefined) {
    if (typeof body === 'string') { init.body = body; init.headers['Content-Type'] ??= 'text/plain; charset=utf-8'; }
    else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  }
  const response = await fetch(path, init);
  if (response.status === 401) { askForKey('The key was refused: enter it again.'); }
  const type = response.headers.get('Content-Type') ?? '';
  const data = raw || !type.includes('json') ? await response.text() : await response.json();
  return { status: response.status, etag: response.headers.get('ETag'), data };
}

function problemText(data) {
  if (!data || typeof data !== 'object') return String(data ?? '');
  const fields = data.errors && !Array.isArray(data.errors) ? Object.values(data.errors).flat().join(' ') : '';
  return [data.title, data.detail, fields].filter(Boolean).join(': ');
}

// ---- sign-in ----

function askForKey(message) {
  const form = $('key-form');
  form.hidden = false;
  if (message) status(message);
  $('key').focus();
}

async function whoAmI() {
  try {
    const me = await fetch('/.auth/me', { credentials: 'same-origin' });
    if (me.ok) {
      const [principal] = await me.json();
      if (principal?.user_id) { $('who').textContent = `Signed in as ${principal.user_id}`; return true; }
    }
  } catch { /* not behind App Service Authentication */ }
  if (sessionStorage.getItem(KEY)) { $('who').textContent = 'Using the function key'; return true; }
  return false;
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value);
  $('key-form').hidden = true;
  $('who').textContent = 'Using the function key';
  await show(location.hash.slice(1) || 'lists');
});

// ---- navigation ----

async function show(section) {
  for (const view of document.querySelectorAll('[data-view]')) view.hidden = view.id !== section;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (section === 'lists') await loadLists();
  if (section === 'feeds') await loadFeeds();
  if (section === 'subscribers') await loadSubscribers(true);
  if (section === 'alerts') await loadAlerts();
}
window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'lists'));

// ---- keyword lists ----

async function loadLists() {
  const { status: code, data } = await api('GET', '/api/admin/keyword-lists');
  if (code !== 200) return;
  const names = $('list-names');
  names.replaceChildren(...data.items.map((item) => el('li', {},
    el('button', { type: 'button', className: 'link', textContent: item.name, onclick: () => openList(item.name) }),
    el('span', { textContent: item.valid ? ` ${item.signals} signals` : ' invalid' }))));
}

async function openList(name) {
  const { status: code, etag, data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(name)}`);
  if (code !== 200) { status(problemText(data)); return; }
  state.list = name;
  state.etag = etag;
  $('list-title').textContent = `List: ${name}`;
  $('document').value = data.document;
  for (const id of ['save', 'backtest', 'show-versions']) $(id).disabled = false;
  $('conflict').hidden = true;
  $('backtest-result').hidden = true;
  $('versions').hidden = true;
  renderGutter();
  await validate();
  status(`Opened ${name}.`);
}

$('new-list').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('new-list-name').value.trim();
  if (!name) return;
  state.list = name;
  state.etag = null;
  $('list-title').textContent = `List: ${name} (new)`;
  $('document').value = `list: ${name}\nthresholds: watch 2, warning 4, critical 10\n\nsignal: example\n  label: Example\n  weight: 4\n  phrase: example phrase\n`;
  for (const id of ['save', 'backtest']) $(id).disabled = false;
  renderGutter();
  validate();
});

function renderGutter() {
  const lines = $('document').value.split('\n').length;
  const wrong = new Set(state.errors.map((e) => e.line));
  const spans = [];
  for (let i = 1; i <= lines; i++) {
    spans.push(el('span', { textContent: String(i), className: wrong.has(i) ? 'error' : '', title: wrong.has(i) ? 'This line has an error' : '' }));
  }
  $('gutter').replaceChildren(...spans);
  $('gutter').scrollTop = $('document').scrollTop;
}

function renderErrors() {
  $('errors').replaceChildren(...state.errors.map((e) => el('li', {},
    el('button', { type: 'button', className: 'link', textContent: `Line ${e.line}, column ${e.column}: ${e.message}`, onclick: () => goTo(e.line, e.column) }))));
  if (state.errors.length === 0) $('errors').append(el('li', { className: 'ok', textContent: 'No errors.' }));
  renderGutter();
}

function goTo(line, column) {
  const area = $('document');
  const lines = area.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  area.focus();
  area.setSelectionRange(offset, offset);
}

let validateTimer;
async function validate() {
  if (!state.list) return;
  const { status: code, data } = await api('POST', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/validate`, { body: { document: $('document').value } });
  if (code !== 200) return;
  state.errors = data.errors;
  renderErrors();
}

$('document').addEventListener('input', () => {
  renderGutter();
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validate, 400);
});
$('document').addEventListener('scroll', () => { $('gutter').scrollTop = $('document').scrollTop; });

async function save(etag) {
  const headers = etag ? { 'If-Match': etag } : { 'If-None-Match': '*' };
  const { status: code, etag: newEtag, data } = await api('PUT', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}`, { body: $('document').value, headers });
  if (code === 200) {
    state.etag = newEtag;
    $('conflict').hidden = true;
    $('show-versions').disabled = false;
    status(`Saved ${state.list} as version ${data.version.number}.`);
    await loadLists();
  } else if (code === 412) {
    const current = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}`);
    state.theirs = current;
    $('theirs').value = current.data.document ?? '';
    $('conflict').hidden = false;
    status('Not saved: someone else changed the list.');
  } else if (code === 400 && Array.isArray(data.errors)) {
    state.errors = data.errors;
    renderErrors();
    status('Not saved: the list has errors.');
  } else {
    status(`Not saved: ${problemText(data)}`);
  }
}

$('save').addEventListener('click', () => save(state.etag));
$('use-theirs').addEventListener('click', () => {
  $('document').value = state.theirs.data.document;
  state.etag = state.theirs.etag;
  $('conflict').hidden = true;
  renderGutter();
  validate();
  status('Loaded their version.');
});
$('overwrite').addEventListener('click', () => save(state.theirs.etag));

const fold = (text) => text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/['’-]/g, ' ');

// The phrases of a signal in the document being edited ("phrase:" and "near" lines), to find what matched in a snippet.
function termsFor(signalId) {
  const lines = $('document').value.split('\n');
  const terms = [];
  let inside = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('signal:')) inside = trimmed.slice(7).trim() === signalId;
    else if (inside && (trimmed.startsWith('phrase:') || trimmed.startsWith('near') || trimmed.startsWith('quantity'))) {
      const body = trimmed.slice(trimmed.indexOf(':') + 1).split(/\bunless\b/)[0];
      for (const term of body.split(/[|;]/)) if (term.trim()) terms.push(fold(term.trim().replace(/\*/g, '')));
    }
  }
  return terms.sort((a, b) => b.length - a.length);
}

function highlight(text, terms) {
  // Marks the longest phrase of the signal that occurs in the snippet (case and accents ignored).
  const folded = fold(text);
  for (const term of terms) {
    const at = folded.indexOf(term);
    if (term.length > 1 && at >= 0) {
      let end = at + term.length;
      while (end < text.length && /[\p{L}\p{N}]/u.test(text[end])) end++;
      return [text.slice(0, at), el('mark', { textContent: text.slice(at, end) }), text.slice(end)];
    }
  }
  return [text];
}

function evidenceList(signals, withTerms = false) {
  return el('ul', {}, ...signals.map((s) => el('li', {}, el('strong', { textContent: s.label }), ': ',
    ...(s.evidence.length ? highlight(s.evidence[0].text, withTerms ? termsFor(s.id) : []) : ['(no snippet)']))));
}

$('backtest').addEventListener('click', async () => {
  status('Backtesting…');
  const { status: code, data } = await api('POST', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/test`, { body: { document: $('document').value, days: Number($('days').value) } });
  if (code !== 200) {
    if (Array.isArray(data.errors)) { state.errors = data.errors; renderErrors(); }
    status(`Backtest failed: ${problemText(data)}`);
    return;
  }
  const severities = ['critical', 'warning', 'watch', 'none'];
  $('backtest-counts').replaceChildren(el('caption', { textContent: `${data.articles} articles: ${data.newAlerts} new alerts, ${data.droppedAlerts} dropped` }),
    el('tr', {}, el('th', { textContent: 'Severity' }), el('th', { textContent: 'Live' }), el('th', { textContent: 'Draft' })),
    ...severities.map((s) => el('tr', {}, el('td', { textContent: s }), el('td', { textContent: String(data.live[s] ?? 0) }), el('td', { textContent: String(data.draft[s] ?? 0) }))));
  $('backtest-changes').replaceChildren(...data.changes.map((c) => el('li', { className: 'change' },
    el('span', { className: `sev sev-${c.draft}`, textContent: `${c.live} → ${c.draft}` }), ' ',
    el('strong', { textContent: c.title }),
    evidenceList(c.draft === 'none' ? c.liveSignals : c.draftSignals, true))));
  $('backtest-result').hidden = false;
  status(`Backtest: ${data.changedTotal} articles change severity.`);
});

function diffLines(before, after) {
  // Longest common subsequence of lines: removed lines, then added ones, in order.
  const a = before.split('\n'); const b = after.split('\n');
  const n = a.length; const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const out = [];
  let i = 0; let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(el('span', { textContent: `  ${a[i]}\n` })); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) { out.push(el('span', { className: 'del', textContent: `- ${a[i++]}` })); }
    else { out.push(el('span', { className: 'add', textContent: `+ ${b[j++]}` })); }
  }
  while (i < n) out.push(el('span', { className: 'del', textContent: `- ${a[i++]}` }));
  while (j < m) out.push(el('span', { className: 'add', textContent: `+ ${b[j++]}` }));
  return out;
}

$('show-versions').addEventListener('click', async () => {
  const { data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions`);
  $('version-list').replaceChildren(...data.items.map((v) => el('li', {},
    el('strong', { textContent: `Version ${v.number}` }),
    el('span', { textContent: ` ${v.action} by ${v.author}, ${new Date(v.at).toLocaleString()}. Added: ${v.summary.added.join(', ') || '–'}; removed: ${v.summary.removed.join(', ') || '–'}; changed: ${v.summary.changed.join(', ') || '–'} ` }),
    el('button', { type: 'button', className: 'link', textContent: `Diff ${v.number}`, onclick: () => showDiff(v.number) }),
    el('button', { type: 'button', className: 'link', textContent: `Restore ${v.number}`, onclick: () => restore(v.number) }))));
  $('versions').hidden = false;
});

async function showDiff(number) {
  const { data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions/${number}`);
  $('diff').replaceChildren(el('span', { textContent: `Version ${number} → editor\n` }), ...diffLines(data.document ?? '', $('document').value));
  $('diff').hidden = false;
}

async function restore(number) {
  const { status: code, data } = await api('POST', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions/${number}/restore`, { headers: state.etag ? { 'If-Match': state.etag } : {} });
  if (code !== 200) { status(`Not restored: ${problemText(data)}`); return; }
  await openList(state.list);
  status(`Restored version ${number} as version ${data.version.number}.`);
}

// ---- feeds ----

const dateText = (value) => (value ? new Date(value).toLocaleString() : '–');

async function loadFeeds() {
  const { status: code, data } = await api('GET', '/api/admin/feeds');
  if (code !== 200) return;
  const header = el('tr', {}, ...['Title', 'URL', 'Enabled', 'Last fetch', 'Problems', '304 ratio', 'New articles', 'Next due', ''].map((h) => el('th', { textContent: h })));
  $('feed-table').replaceChildren(el('caption', { textContent: `${data.items.length} feeds and their health` }), header,
    ...data.items.map((f) => el('tr', {},
      el('td', { textContent: f.title || '–' }), el('td', { textContent: f.url }), el('td', { textContent: f.enabled ? 'yes' : 'no' }),
      el('td', { textContent: dateText(f.lastFetchedAt) }), el('td', { textContent: f.lastError ?? (f.lastWarning ? `Read with repairs: ${f.lastWarning}` : '') }),
      el('td', { textContent: `${Math.round((f.notModifiedRatio ?? 0) * 100)}%` }), el('td', { textContent: String(f.newArticles) }),
      el('td', { textContent: dateText(f.nextDueAt) }),
      el('td', {}, el('button', { type: 'button', className: 'link', textContent: f.enabled ? `Disable` : `Enable`, ariaLabel: `${f.enabled ? 'Disable' : 'Enable'} ${f.title || f.url}`, onclick: () => toggleFeed(f) })))));
}

async function toggleFeed(feed) {
  const { status: code, data } = await api('PUT', `/api/admin/feeds/${encodeURIComponent(feed.id)}`, { body: { enabled: !feed.enabled }, headers: { 'If-Match': feed.etag } });
  status(code === 200 ? `${data.title || data.url} is ${data.enabled ? 'enabled' : 'disabled'}.`
    : code === 412 ? `${feed.title || feed.url} changed since the list was shown: here it is again, try once more.` : problemText(data));
  await loadFeeds();
}

$('add-feed').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status: code, data } = await api('POST', '/api/admin/feeds', { body: { url: $('feed-url').value, title: $('feed-title').value || undefined } });
  if (code === 201) {
    $('feed-error').textContent = '';
    $('feed-url').value = '';
    status(`Added ${data.url}.`);
    await loadFeeds();
  } else {
    $('feed-error').textContent = `Refused: ${problemText(data)}`;
  }
});

$('import-feeds').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('opml').files[0];
  if (!file) return;
  const { status: code, data } = await api('POST', '/api/admin/feeds/import', { body: await file.text(), headers: { 'Content-Type': 'text/x-opml' } });
  status(code === 200 ? `Imported: ${data.added} added, ${data.alreadyPresent} already present, ${data.rejected.length} refused${data.rejected.length ? ` (${data.rejected.join(', ')})` : ''}.` : problemText(data));
  await loadFeeds();
});

// ---- subscribers ----

async function loadSubscribers(reset) {
  if (reset) state.subscriberContinuation = null;
  const query = new URLSearchParams({ pageSize: '50' });
  const search = $('subscriber-search').value.trim();
  if (search) query.set('search', search);
  if (state.subscriberContinuation) query.set('continuation', state.subscriberContinuation);
  const { status: code, data } = await api('GET', `/api/admin/subscribers?${query}`);
  if (code !== 200) return;
  const rows = data.items.map((s) => el('tr', {},
    el('td', { textContent: s.email }), el('td', { textContent: s.status }), el('td', { textContent: s.preferences.frequency }),
    el('td', { textContent: s.preferences.minimumSeverity }), el('td', { textContent: s.preferences.countries.join(', ') || 'all' }),
    el('td', {}, el('button', { type: 'button', className: 'link', textContent: 'Edit', ariaLabel: `Edit ${s.email}`, onclick: () => editSubscriber(s) }),
      el('button', { type: 'button', className: 'link', textContent: 'Delete', ariaLabel: `Delete ${s.email}`, onclick: () => deleteSubscriber(s) }))));
  const table = $('subscriber-table');
  if (reset) table.replaceChildren(el('caption', { textContent: 'Subscribers' }), el('tr', {}, ...['Address', 'Status', 'Digest', 'Minimum severity', 'Countries', ''].map((h) => el('th', { textContent: h }))));
  table.append(...rows);
  state.subscriberContinuation = data.continuation ?? null;
  $('more-subscribers').hidden = !state.subscriberContinuation;
}

function editSubscriber(s) {
  const form = el('form', { className: 'inline' },
    el('label', { htmlFor: 'edit-frequency', textContent: 'Digest' }),
    el('select', { id: 'edit-frequency' }, ...['none', 'hourly', 'daily', 'weekly'].map((f) => el('option', { value: f, textContent: f, selected: f === s.preferences.frequency }))),
    el('label', { htmlFor: 'edit-severity', textContent: 'Minimum severity' }),
    el('select', { id: 'edit-severity' }, ...['watch', 'warning', 'critical'].map((f) => el('option', { value: f, textContent: f, selected: f === s.preferences.minimumSeverity }))),
    el('label', { htmlFor: 'edit-countries', textContent: 'Countries' }),
    el('input', { id: 'edit-countries', value: s.preferences.countries.join(', ') }),
    el('button', { type: 'submit', textContent: 'Save subscriber' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      name: s.name, timeZone: s.timeZone, language: s.language, immediateCritical: s.preferences.immediateCritical,
      frequency: $('edit-frequency').value, at: s.preferences.at, day: s.preferences.day, minimumSeverity: $('edit-severity').value,
      countries: $('edit-countries').value.split(',').map((c) => c.trim()).filter(Boolean), signals: s.preferences.signals, regions: s.preferences.regions, lists: s.preferences.lists,
    };
    const { status: code, data } = await api('PUT', `/api/admin/subscribers/${encodeURIComponent(s.id)}`, { body, headers: { 'If-Match': s.etag } });
    status(code === 200 ? `Saved ${data.email}.` : code === 412 ? `Not saved: ${s.email} changed since the list was shown (a digest went out, or another admin saved): here it is again.` : `Not saved: ${problemText(data)}`);
    if (code === 200 || code === 412) await loadSubscribers(true);
  });
  $('subscriber-table').after(form);
  form.querySelector('select').focus();
}

async function deleteSubscriber(s) {
  if (!confirm(`Erase ${s.email} and their delivery history?`)) return;
  const { status: code, data } = await api('DELETE', `/api/admin/subscribers/${encodeURIComponent(s.id)}`, { headers: { 'If-Match': s.etag } });
  status(code === 204 ? `Erased ${s.email}.` : code === 412 ? `Not erased: ${s.email} changed since the list was shown: here it is again.` : problemText(data));
  await loadSubscribers(true);
}

$('search-subscribers').addEventListener('submit', (event) => { event.preventDefault(); loadSubscribers(true); });
$('more-subscribers').addEventListener('click', () => loadSubscribers(false));

// ---- alerts ----

async function loadAlerts() {
  const query = new URLSearchParams({ pageSize: '100' });
  for (const [id, name] of [['alert-severity', 'severity'], ['alert-country', 'country'], ['alert-signal', 'signal']]) {
    if ($(id).value.trim()) query.set(name, $(id).value.trim());
  }
  const { status: code, data } = await api('GET', `/api/admin/alerts?${query}`);
  if (code !== 200) { status(problemText(data)); return; }
  $('alert-list').replaceChildren(...data.items.map((a) => el('li', {},
    el('span', { className: `sev sev-${a.severity}`, textContent: a.severity }), ' ',
    el('strong', { textContent: a.title }),
    el('div', { textContent: `${a.countries.join(', ')} · ${a.sourceCount} source(s) · ${dateText(a.changedAt)}` }),
    evidenceList(a.evidence))));
  status(`${data.items.length} alerts.`);
}

$('filter-alerts').addEventListener('submit', (event) => { event.preventDefault(); loadAlerts(); });

// ---- start ----

if (await whoAmI()) await show(location.hash.slice(1) || 'lists');
else askForKey();
