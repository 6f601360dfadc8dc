// Crisis Alerts admin console: plain JavaScript module, no build step, no dependencies. Calls the admin API on the same
// origin. Data from the API is only ever inserted with textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const KEY = 'crisis-alerts-function-key';
const AUTHOR = 'crisis-alerts-author';
const state = { list: null, etag: null, errors: [], theirs: null, subscriberContinuation: null, section: null };
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// Each section has its own status line, next to its buttons; switching sections clears them.
function status(text) {
  const section = state.section ? $(state.section) : null;
  const line = section?.querySelector('[data-status]');
  if (line) line.textContent = text;
}

async function api(method, path, { body, headers = {}, raw = false } = {}) {
  const key = sessionStorage.getItem(KEY);
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (key) init.headers['x-functions-key'] = key;
  const author = sessionStorage.getItem(AUTHOR);
  if (author) init.headers['X-Alerts-Author'] = encodeURIComponent(author);
  if (body !== undefined) {
    if (typeof body === 'string') { init.body = body; init.headers['Content-Type'] ??= 'text/plain; charset=utf-8'; }
    else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  }
  const response = await fetch(path, init);
  if (response.status === 401) signedOut('The key was refused: enter it again.');
  const type = response.headers.get('Content-Type') ?? '';
  const data = raw || !type.includes('json') ? await response.text() : await response.json();
  return { status: response.status, etag: response.headers.get('ETag'), data };
}

// "Invalid feed: The address … is not public." (the field errors say what is wrong; the generic detail adds nothing).
function problemText(data) {
  if (!data || typeof data !== 'object') return String(data ?? '');
  const fields = data.errors && !Array.isArray(data.errors) ? Object.values(data.errors).flat().join(' ') : '';
  return [data.title, fields || data.detail].filter(Boolean).join(': ');
}

// Tables: a header row, then rows whose cells carry their column's name (shown before each cell on a phone).
function table(id, caption, headings, rows) {
  $(id).replaceChildren(el('caption', { textContent: caption }), el('tr', {}, ...headings.map((h) => el('th', { scope: 'col', textContent: h }))), ...rows);
}
function row(headings, cells) {
  return el('tr', {}, ...cells.map((cell, i) => {
    const td = el('td');
    td.dataset.label = headings[i];
    td.append(cell instanceof Node ? cell : String(cell ?? ''));
    return td;
  }));
}

// ---- sign-in ----

function signedOut(message) {
  for (const view of document.querySelectorAll('[data-view]')) view.hidden = true;
  $('who').textContent = 'Not signed in';
  $('sign-out').hidden = true;
  $('key-form').hidden = false;
  $('key-status').textContent = message ?? '';
  $('key').focus();
}

function signedIn(who) {
  $('who').textContent = who;
  $('key-form').hidden = true;
  $('key-status').textContent = '';
  $('sign-out').hidden = !sessionStorage.getItem(KEY);
}

async function whoAmI() {
  try {
    const me = await fetch('/.auth/me', { credentials: 'same-origin' });
    if (me.ok) {
      const [principal] = await me.json();
      if (principal?.user_id) return `Signed in as ${principal.user_id}`;
    }
  } catch { /* not behind App Service Authentication */ }
  if (!sessionStorage.getItem(KEY)) return null;
  const author = sessionStorage.getItem(AUTHOR);
  return author ? `Signed in as ${author}, with the function key` : 'Signed in with the function key';
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value);
  if ($('author').value.trim()) sessionStorage.setItem(AUTHOR, $('author').value.trim()); else sessionStorage.removeItem(AUTHOR);
  const check = await api('GET', '/api/admin/keyword-lists');
  if (check.status === 401) return; // signedOut() has said so
  $('key').value = '';
  signedIn(await whoAmI());
  await route();
});

$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(AUTHOR);
  signedOut('Signed out.');
});

// ---- navigation ----

// "#country/KZ" and "#story/ID" open a country's or a story's page; the bare sections are the nav's.
async function route() {
  const [section, ...rest] = (location.hash.slice(1) || 'situation').split('/');
  let param = rest.join('/');
  try { param = decodeURIComponent(param); } catch { /* a malformed link: the page says it finds nothing */ }
  await show(section, param);
}

async function show(section, param = '') {
  if (!$('key-form').hidden) return;
  state.section = section;
  for (const view of document.querySelectorAll('[data-view]')) view.hidden = view.id !== section;
  for (const line of document.querySelectorAll('[data-status]')) line.textContent = '';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (section === 'lists') await loadLists();
  if (section === 'feeds') await loadFeeds();
  if (section === 'subscribers') await loadSubscribers(true);
  if (section === 'alerts') await loadAlerts();
  if (section === 'feedback') await loadFeedback();
  if (section === 'situation') await loadSituation();
  if (section === 'country') await loadCountry(param);
  if (section === 'story') await loadStory(param);
  if (section === 'archive') await loadCountryNames();
}
window.addEventListener('hashchange', route);

// ---- keyword lists ----

async function loadLists() {
  const { status: code, data } = await api('GET', '/api/admin/keyword-lists');
  if (code !== 200) return;
  $('list-names').replaceChildren(...data.items.map((item) => el('li', {},
    el('button', { type: 'button', className: 'link', textContent: item.name, onclick: () => openList(item.name) }),
    el('span', { textContent: item.valid ? ` ${plural(item.signals, 'signal', 'signals')}` : ' invalid' }))));
}

async function openList(name, message) {
  const { status: code, etag, data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(name)}`);
  if (code !== 200) { status(problemText(data)); return; }
  state.list = name;
  state.etag = etag;
  $('list-title').textContent = `List: ${name}`;
  $('document').value = data.document;
  for (const id of ['save', 'backtest', 'backtest-false-alarms', 'show-versions']) $(id).disabled = false;
  $('conflict').hidden = true;
  $('backtest-result').hidden = true;
  $('versions').hidden = true;
  renderGutter();
  await validate();
  status(message ?? `Opened ${name}.`);
}

$('new-list').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('new-list-name').value.trim();
  if (!name) return;
  state.list = name;
  state.etag = null;
  $('list-title').textContent = `List: ${name} (new)`;
  $('document').value = `list: ${name}\nthresholds: watch 2, warning 4, critical 10\n\nsignal: example\n  label: Example\n  weight: 4\n  phrase: example phrase\n`;
  for (const id of ['save', 'backtest', 'backtest-false-alarms']) $(id).disabled = false;
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

// Puts the caret at the error and scrolls the editor so that its line is in view, a third of the way down.
function goTo(line, column) {
  const area = $('document');
  const lines = area.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  area.focus({ preventScroll: true });
  area.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 19.5;
  area.scrollTop = Math.max(0, (line - 1) * lineHeight - area.clientHeight / 3);
  $('gutter').scrollTop = area.scrollTop;
  area.closest('.editor').scrollIntoView({ block: 'nearest' });
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
    if (data.document) { $('document').value = data.document; renderGutter(); } // its version line now says the stored version
    status(`Saved ${state.list} as version ${data.version.number}.`);
    await loadLists();
    if (!$('versions').hidden) await showVersions();
  } else if (code === 412) {
    await showConflict();
    status('Not saved: someone else changed the list.');
  } else if (code === 400 && Array.isArray(data.errors)) {
    state.errors = data.errors;
    renderErrors();
    status('Not saved: the list has errors.');
  } else {
    status(`Not saved: ${problemText(data)}`);
  }
}

// The other admin's version against mine, and who saved it when.
async function showConflict() {
  const current = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}`);
  state.theirs = current;
  const versions = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions`);
  const latest = versions.status === 200 ? versions.data.items[0] : null;
  $('conflict-who').textContent = latest ? `Version ${latest.number} was saved by ${latest.author}, ${new Date(latest.at).toLocaleString()}.` : '';
  $('conflict-diff').replaceChildren(...diffLines(current.data.document ?? '', $('document').value));
  $('conflict').hidden = false;
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
    else if (inside && (trimmed.startsWith('phrase:') || trimmed.startsWith('near') || trimmed.startsWith('quantity') || trimmed.startsWith('decisive'))) {
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

// The evidence's own matched words when the scorer gave them, else the signal's phrases in the editor.
function evidenceList(signals, withTerms = false) {
  return el('ul', {}, ...signals.map((s) => el('li', {}, el('strong', { textContent: s.label }), ': ',
    ...(s.evidence.length ? highlight(s.evidence[0].text, s.evidence[0].matched ? [fold(s.evidence[0].matched)] : withTerms ? termsFor(s.id) : []) : ['(no snippet)']))));
}

async function backtest(body, what) {
  status(`Backtesting ${what}…`);
  const { status: code, data } = await api('POST', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/test`, { body: { document: $('document').value, ...body } });
  if (code !== 200) {
    if (Array.isArray(data.errors)) { state.errors = data.errors; renderErrors(); }
    status(`Backtest failed: ${problemText(data)}`);
    return;
  }
  const severities = ['critical', 'warning', 'watch', 'none'];
  const headings = ['Severity', 'Live', 'Draft'];
  table('backtest-counts', `${plural(data.articles, 'article', 'articles')} (${what}): ${plural(data.newAlerts, 'new alert', 'new alerts')}, ${data.droppedAlerts} dropped`, headings,
    severities.map((s) => row(headings, [s, data.live[s] ?? 0, data.draft[s] ?? 0])));
  $('backtest-changes').replaceChildren(...data.changes.map((c) => el('li', { className: 'change' },
    el('span', { className: `sev sev-${c.draft}`, textContent: `${c.live} → ${c.draft}` }), ' ',
    el('strong', { textContent: c.title }),
    evidenceList(c.draft === 'none' ? c.liveSignals : c.draftSignals, true))));
  $('backtest-result').hidden = false;
  status(`Backtest: ${plural(data.changedTotal, 'article changes', 'articles change')} severity.`);
}

$('backtest').addEventListener('click', () => backtest({ days: Number($('days').value) }, `the last ${$('days').value} days`));
$('backtest-false-alarms').addEventListener('click', () => backtest({ falseAlarmDays: 30 }, 'marked false alarms in 30 days'));

function diffLines(before, after) {
  // Longest common subsequence of lines: removed lines, then added ones, in order.
  const a = before.split('\n'); const b = after.split('\n');
  const n = a.length; const m = b.length;
  const grid = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) grid[i][j] = a[i] === b[j] ? grid[i + 1][j + 1] + 1 : Math.max(grid[i + 1][j], grid[i][j + 1]);
  const out = [];
  let i = 0; let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(el('span', { textContent: `  ${a[i]}\n` })); i++; j++; }
    else if (grid[i + 1][j] >= grid[i][j + 1]) { out.push(el('span', { className: 'del', textContent: `- ${a[i++]}` })); }
    else { out.push(el('span', { className: 'add', textContent: `+ ${b[j++]}` })); }
  }
  while (i < n) out.push(el('span', { className: 'del', textContent: `- ${a[i++]}` }));
  while (j < m) out.push(el('span', { className: 'add', textContent: `+ ${b[j++]}` }));
  return out;
}

async function showVersions() {
  const { data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions`);
  $('version-list').replaceChildren(...data.items.map((v) => el('li', {},
    el('strong', { textContent: `Version ${v.number}` }),
    el('span', { textContent: ` ${v.action} by ${v.author}, ${new Date(v.at).toLocaleString()}. Added: ${v.summary.added.join(', ') || '–'}; removed: ${v.summary.removed.join(', ') || '–'}; changed: ${v.summary.changed.join(', ') || '–'} ` }),
    el('button', { type: 'button', className: 'link', textContent: `Diff ${v.number}`, onclick: () => showDiff(v.number) }),
    el('button', { type: 'button', className: 'link', textContent: `Restore ${v.number}`, onclick: () => restore(v.number) }))));
  $('versions').hidden = false;
}
$('show-versions').addEventListener('click', showVersions);

async function showDiff(number) {
  const { data } = await api('GET', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions/${number}`);
  $('diff').replaceChildren(el('span', { textContent: `Version ${number} → editor\n` }), ...diffLines(data.document ?? '', $('document').value));
  $('diff').hidden = false;
}

async function restore(number) {
  if (!confirm(`Make version ${number} of ${state.list} live again? It is saved as a new version; nothing is lost.`)) return;
  const { status: code, data } = await api('POST', `/api/admin/keyword-lists/${encodeURIComponent(state.list)}/versions/${number}/restore`, { headers: state.etag ? { 'If-Match': state.etag } : {} });
  if (code !== 200) { status(`Not restored: ${problemText(data)}`); return; }
  await openList(state.list, `Restored version ${number} as version ${data.version.number}.`);
  await showVersions();
}

// A pasted article, scored with the live lists.
$('try-article').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status: code, data } = await api('POST', '/api/admin/score', { body: { title: $('try-title').value, content: $('try-text').value } });
  if (code !== 200) { $('try-result').replaceChildren(el('p', { className: 'error-text', textContent: problemText(data) })); return; }
  const where = [data.places[0] ? [data.places[0].name, data.places[0].division].filter(Boolean).join(', ') : null, data.countries.join(', ') || null].filter(Boolean).join(' · ');
  $('try-result').replaceChildren(
    el('p', {}, el('span', { className: `sev sev-${data.severity}`, textContent: data.severity }), ` score ${data.score} with ${data.lists.join(', ')}${where ? ` · ${where}` : ''}`),
    data.signals.length ? evidenceList(data.signals, true) : el('p', { textContent: 'No signal found.' }),
    ...(data.cancelled.length ? [el('p', { textContent: `Not counted: ${data.cancelled.map((c) => `${c.signalId} (${c.reason})`).join('; ')}` })] : []));
});

// ---- feeds ----

const dateText = (value) => (value ? new Date(value).toLocaleString() : '–');
const FEED_HEADINGS = ['Title', 'URL', 'Enabled', 'Last fetch', 'Problems', '304 ratio', 'New articles', 'Next due', 'Actions'];

async function loadFeeds() {
  const { status: code, data } = await api('GET', '/api/admin/feeds');
  if (code !== 200) return;
  const action = (text, label, onclick) => el('button', { type: 'button', className: 'link', textContent: text, ariaLabel: label, onclick });
  table('feed-table', plural(data.items.length, 'feed and its health', 'feeds and their health'), FEED_HEADINGS, data.items.map((f) => {
    const name = f.title || f.url;
    return row(FEED_HEADINGS, [f.title || '–', f.url, f.enabled ? 'yes' : 'no', dateText(f.lastFetchedAt),
      [f.lastError ?? (f.lastWarning ? `Read with repairs: ${f.lastWarning}` : ''),
        f.notCovered ? `${plural(f.notCovered, 'article', 'articles')} not scored: language not covered (${f.notCoveredLanguage ?? '?'})` : ''].filter(Boolean).join(' · '), `${Math.round((f.notModifiedRatio ?? 0) * 100)}%`, f.newArticles, dateText(f.nextDueAt),
      el('span', { className: 'row-actions' },
        action('Refresh now', `Refresh now ${name}`, () => refreshFeed(f)),
        action('Articles', `Articles of ${name}`, () => feedArticles(f)),
        action('Edit', `Edit ${name}`, () => editFeed(f)),
        action(f.enabled ? 'Disable' : 'Enable', `${f.enabled ? 'Disable' : 'Enable'} ${name}`, () => toggleFeed(f)),
        action('Delete', `Delete ${name}`, () => deleteFeed(f)))]);
  }));
  if (data.items.length === 0) status('No feeds yet: add one above, or import an OPML file.');
}

async function toggleFeed(feed) {
  const { status: code, data } = await api('PUT', `/api/admin/feeds/${encodeURIComponent(feed.id)}`, { body: { enabled: !feed.enabled }, headers: { 'If-Match': feed.etag } });
  await loadFeeds();
  status(code === 200 ? `${data.title || data.url} is ${data.enabled ? 'enabled' : 'disabled'}.`
    : code === 412 ? `${feed.title || feed.url} changed since the list was shown: here it is again, try once more.` : problemText(data));
}

async function refreshFeed(feed) {
  const { status: code, data } = await api('POST', `/api/admin/feeds/${encodeURIComponent(feed.id)}/refresh`);
  status(code === 202 ? `${feed.title || feed.url} is queued for fetching now; its health updates when the fetch is done.` : problemText(data));
}

async function feedArticles(feed) {
  const { status: code, data } = await api('GET', `/api/admin/feeds/${encodeURIComponent(feed.id)}/articles`);
  const panel = $('feed-articles');
  if (code !== 200) { status(problemText(data)); return; }
  panel.replaceChildren(el('h3', { textContent: `Newest articles of ${feed.title || feed.url}` }),
    data.items.length === 0 ? el('p', { textContent: 'No articles from this feed yet.' })
      : el('ol', { className: 'changes' }, ...data.items.map((a) => el('li', {},
        el('span', { className: `sev sev-${a.languageCovered === false ? 'none' : a.severity ?? 'none'}`,
          textContent: a.languageCovered === false ? `not scored: language not covered (${a.language})` : a.severity ?? 'not scored yet' }), ' ',
        a.url ? el('a', { href: a.url, textContent: a.title || a.url, rel: 'noopener noreferrer', target: '_blank' }) : el('strong', { textContent: a.title }),
        el('div', { textContent: `${a.countries.join(', ') || 'no country'} · published ${dateText(a.published)} · found ${dateText(a.foundAt)}` })))),
    el('button', { type: 'button', className: 'link', textContent: 'Close', onclick: () => { panel.hidden = true; } }));
  panel.hidden = false;
  panel.focus();
}

// One edit form at a time, above the table.
function editFeed(feed) {
  const form = el('form', { className: 'panel inset', id: 'feed-edit-form' },
    el('h3', { textContent: `Edit ${feed.title || feed.url}` }),
    el('div', { className: 'field' }, el('label', { htmlFor: 'edit-feed-title', textContent: 'Title' }), el('input', { id: 'edit-feed-title', value: feed.title })),
    el('div', { className: 'field' }, el('label', { htmlFor: 'edit-feed-url', textContent: 'URL' }), el('input', { id: 'edit-feed-url', type: 'url', value: feed.url, required: true, className: 'wide' })),
    el('div', { className: 'field' }, el('label', { htmlFor: 'edit-feed-interval', textContent: 'Poll every (minutes)' }),
      el('input', { id: 'edit-feed-interval', type: 'number', min: 1, max: 10080, value: Math.round(durationMinutes(feed.pollInterval)), className: 'narrow' })),
    el('p', { className: 'error-text', id: 'edit-feed-error', role: 'alert' }),
    el('div', { className: 'actions' }, el('button', { type: 'submit', textContent: 'Save feed' }),
      el('button', { type: 'button', className: 'link', textContent: 'Cancel', onclick: () => form.remove() })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const minutes = Number($('edit-feed-interval').value);
    const pad = (n) => String(n).padStart(2, '0');
    const url = $('edit-feed-url').value.trim();
    const body = { title: $('edit-feed-title').value, url: url !== feed.url ? url : undefined, pollInterval: `${Math.floor(minutes / 1440)}.${pad(Math.floor((minutes % 1440) / 60))}:${pad(minutes % 60)}:00` };
    const { status: code, data } = await api('PUT', `/api/admin/feeds/${encodeURIComponent(feed.id)}`, { body, headers: { 'If-Match': feed.etag } });
    if (code === 200) { form.remove(); await loadFeeds(); status(`Saved ${data.title || data.url}.`); return; }
    $('edit-feed-error').textContent = code === 412 ? 'The feed changed since the list was shown (a fetch updates it too): close this form and edit again.' : `Not saved: ${problemText(data)}`;
  });
  $('feed-editor').replaceChildren(form);
  $('edit-feed-title').focus();
}

function durationMinutes(text) {
  // "00:15:00" or "1.00:00:00" (a .NET TimeSpan) → minutes.
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(text ?? '');
  return match ? Number(match[1] ?? 0) * 1440 + Number(match[2]) * 60 + Number(match[3]) : 15;
}

async function deleteFeed(feed) {
  if (!confirm(`Delete the feed ${feed.title || feed.url}? Its articles and alerts stay.`)) return;
  const { status: code, data } = await api('DELETE', `/api/admin/feeds/${encodeURIComponent(feed.id)}`, { headers: { 'If-Match': feed.etag } });
  await loadFeeds();
  status(code === 204 ? `Deleted ${feed.title || feed.url}.` : code === 412 ? `Not deleted: ${feed.title || feed.url} changed since the list was shown: here it is again.` : problemText(data));
}

$('add-feed').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status: code, data } = await api('POST', '/api/admin/feeds', { body: { url: $('feed-url').value, title: $('feed-title').value || undefined } });
  if (code === 201) {
    $('feed-error').textContent = '';
    $('feed-url').value = '';
    $('feed-title').value = '';
    await loadFeeds();
    status(`Added ${data.url}.`);
  } else {
    $('feed-error').textContent = `Refused: ${problemText(data)}`;
  }
});

$('import-feeds').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('opml').files[0];
  if (!file) { status('Choose an OPML file first.'); return; }
  const { status: code, data } = await api('POST', '/api/admin/feeds/import', { body: await file.text(), headers: { 'Content-Type': 'text/x-opml' } });
  await loadFeeds();
  status(code === 200 ? `Imported: ${data.added} added, ${data.alreadyPresent} already present, ${data.rejected.length} refused${data.rejected.length ? ` (${data.rejected.join(', ')})` : ''}.` : problemText(data));
});

$('export-feeds').addEventListener('click', async () => {
  const { status: code, data } = await api('GET', '/api/admin/feeds.opml', { raw: true });
  if (code !== 200) { status(problemText(data)); return; }
  const link = el('a', { href: URL.createObjectURL(new Blob([data], { type: 'text/x-opml' })), download: 'feeds.opml' });
  document.body.append(link);
  link.click();
  link.remove();
  status('Exported the feeds as feeds.opml.');
});

// ---- subscribers ----

const SUBSCRIBER_HEADINGS = ['Address', 'Status', 'Digest', 'Minimum severity', 'Countries', 'Actions'];

async function loadSubscribers(reset) {
  if (reset) state.subscriberContinuation = null;
  const query = new URLSearchParams({ pageSize: '50' });
  const search = $('subscriber-search').value.trim();
  if (search) query.set('search', search);
  if (state.subscriberContinuation) query.set('continuation', state.subscriberContinuation);
  const { status: code, data } = await api('GET', `/api/admin/subscribers?${query}`);
  if (code !== 200) return;
  const rows = data.items.map((s) => row(SUBSCRIBER_HEADINGS, [s.email, s.status, s.preferences.frequency, s.preferences.minimumSeverity, s.preferences.countries.join(', ') || 'all',
    el('span', { className: 'row-actions' },
      el('button', { type: 'button', className: 'link', textContent: 'Edit', ariaLabel: `Edit ${s.email}`, onclick: () => editSubscriber(s) }),
      el('button', { type: 'button', className: 'link', textContent: 'Delete', ariaLabel: `Delete ${s.email}`, onclick: () => deleteSubscriber(s) }))]));
  if (reset) table('subscriber-table', 'Subscribers', SUBSCRIBER_HEADINGS, rows); else $('subscriber-table').append(...rows);
  state.subscriberContinuation = data.continuation ?? null;
  $('more-subscribers').hidden = !state.subscriberContinuation;
  if (reset && data.items.length === 0) status(search ? `No subscriber matches “${search}”.` : 'No subscribers yet.');
}

const options = (values, selected) => values.map((v) => el('option', { value: v, textContent: v, selected: v === selected }));
const listText = (text) => text.split(',').map((c) => c.trim()).filter(Boolean);

// One form for adding and editing, above the table; opening another replaces it.
function subscriberForm(s) {
  const editing = Boolean(s);
  const p = s?.preferences ?? { frequency: 'daily', minimumSeverity: 'warning', countries: [], immediateCritical: true };
  const fields = [
    ...(editing ? [] : [el('div', { className: 'field' }, el('label', { htmlFor: 'subscriber-email', textContent: 'Email' }), el('input', { id: 'subscriber-email', type: 'email', required: true, className: 'wide' })),
      el('div', { className: 'field' }, el('label', { htmlFor: 'subscriber-language', textContent: 'Language' }), el('select', { id: 'subscriber-language' }, ...options(['en', 'fr', 'es'], 'en')))]),
    el('div', { className: 'field' }, el('label', { htmlFor: 'subscriber-frequency', textContent: 'Digest' }), el('select', { id: 'subscriber-frequency' }, ...options(['none', 'hourly', 'daily', 'weekly'], p.frequency))),
    el('div', { className: 'field' }, el('label', { htmlFor: 'subscriber-severity', textContent: 'Minimum severity' }), el('select', { id: 'subscriber-severity' }, ...options(['watch', 'warning', 'critical'], p.minimumSeverity))),
    el('div', { className: 'field' }, el('label', { htmlFor: 'subscriber-countries', textContent: 'Countries (names or codes, comma-separated; empty for all)' }), el('input', { id: 'subscriber-countries', value: p.countries.join(', '), className: 'wide' })),
    ...(editing ? [] : [el('div', { className: 'field check' }, el('input', { id: 'subscriber-active', type: 'checkbox' }), el('label', { htmlFor: 'subscriber-active', textContent: 'Active at once (no confirmation email)' }))]),
  ];
  const form = el('form', { className: 'panel inset', id: 'subscriber-form' },
    el('h3', { textContent: editing ? `Edit ${s.email}` : 'Add a subscriber' }), ...fields,
    el('p', { className: 'error-text', id: 'subscriber-error', role: 'alert' }),
    el('div', { className: 'actions' }, el('button', { type: 'submit', textContent: editing ? 'Save subscriber' : 'Add subscriber' }),
      el('button', { type: 'button', className: 'link', textContent: 'Cancel', onclick: () => form.remove() })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      ...(editing ? { name: s.name, timeZone: s.timeZone, language: s.language, immediateCritical: p.immediateCritical, at: p.at, day: p.day, signals: p.signals, regions: p.regions, places: p.places, lists: p.lists }
        : { email: $('subscriber-email').value, language: $('subscriber-language').value, immediateCritical: true, status: $('subscriber-active').checked ? 'active' : 'pending' }),
      frequency: $('subscriber-frequency').value, minimumSeverity: $('subscriber-severity').value, countries: listText($('subscriber-countries').value),
    };
    const { status: code, data } = editing
      ? await api('PUT', `/api/admin/subscribers/${encodeURIComponent(s.id)}`, { body, headers: { 'If-Match': s.etag } })
      : await api('POST', '/api/admin/subscribers', { body });
    if (code === 200 || code === 201) {
      form.remove();
      await loadSubscribers(true);
      status(editing ? `Saved ${data.email}.` : `Added ${data.email} (${data.status === 'active' ? 'active' : 'a confirmation email is on its way'}).`);
      return;
    }
    $('subscriber-error').textContent = code === 412 ? `${s.email} changed since the list was shown (a digest went out, or another admin saved): close this form and edit again.` : `Not saved: ${problemText(data)}`;
  });
  $('subscriber-editor').replaceChildren(form);
  form.querySelector('input, select').focus();
}

const editSubscriber = (s) => subscriberForm(s);
$('add-subscriber').addEventListener('click', () => subscriberForm(null));

async function deleteSubscriber(s) {
  if (!confirm(`Erase ${s.email} and their delivery history?`)) return;
  const { status: code, data } = await api('DELETE', `/api/admin/subscribers/${encodeURIComponent(s.id)}`, { headers: { 'If-Match': s.etag } });
  await loadSubscribers(true);
  status(code === 204 ? `Erased ${s.email}.` : code === 412 ? `Not erased: ${s.email} changed since the list was shown: here it is again.` : problemText(data));
}

$('search-subscribers').addEventListener('submit', (event) => { event.preventDefault(); loadSubscribers(true); });
$('more-subscribers').addEventListener('click', () => loadSubscribers(false));

// ---- alerts ----

async function loadAlerts(more = false) {
  await loadCountryNames();
  // "More" continues the list it was shown under, whatever the filters say now.
  const query = more && state.alertQuery ? new URLSearchParams(state.alertQuery) : new URLSearchParams({ pageSize: '100' });
  if (!more) {
    for (const [id, name] of [['alert-severity', 'severity'], ['alert-country', 'country'], ['alert-signal', 'signal']]) {
      if ($(id).value.trim()) query.set(name, $(id).value.trim());
    }
    state.alertQuery = query.toString();
  }
  if (more && state.alertContinuation) query.set('continuation', state.alertContinuation);
  const { status: code, data } = await api('GET', `/api/admin/alerts?${query}`);
  if (code !== 200) { status(problemText(data)); $('alert-list').replaceChildren(); return; }
  const items = data.items.map((a) => el('li', {},
    el('span', { className: `sev sev-${a.severity}`, textContent: a.severity }), ' ',
    storyLink(a.storyId, a.title), ' ', articleLink(a.url),
    el('div', { textContent: [countryText(a.countries, a.place), plural(a.sourceCount, 'source', 'sources'), a.published ? `published ${dateText(a.published)}` : `found ${dateText(a.createdAt)}`].join(' · ') }),
    evidenceList(a.evidence)));
  if (more) $('alert-list').append(...items); else $('alert-list').replaceChildren(...items);
  state.alertContinuation = data.continuation;
  $('more-alerts').hidden = !data.continuation;
  const shown = $('alert-list').children.length;
  status(shown === 0 ? 'No alerts match these filters.' : `${plural(shown, 'alert', 'alerts')}${data.continuation ? ', more below' : ''}.`);
}

$('more-alerts').addEventListener('click', () => loadAlerts(true));
$('filter-alerts').addEventListener('submit', (event) => { event.preventDefault(); loadAlerts(); });

// ---- countries, stories, links ----

const countryNames = new Map();
async function loadCountryNames() {
  if (countryNames.size) return;
  const { status: code, data } = await api('GET', '/api/admin/countries');
  if (code !== 200) return;
  for (const c of data.items) countryNames.set(c.code, c.name);
  $('country-names').replaceChildren(...data.items.map((c) => el('option', { value: c.name })));
}
const countryName = (code) => countryNames.get(code) ?? code;
// "Goma, North Kivu, DR Congo · Rwanda": the main place with its country, then the other countries.
function countryText(codes, place) {
  const names = codes.map(countryName);
  if (place && names.length) names[0] = [placeText(place), names[0]].join(', ');
  return names.join(' · ') || 'no country';
}
// "Goma, North Kivu"; a place that is its own division ("Conakry") once.
const placeText = (p) => [p.name, p.division !== p.name ? p.division : ''].filter(Boolean).join(', ');
const storyLink = (id, title) => el('a', { href: `#story/${encodeURIComponent(id)}`, textContent: title || '(no title)', className: 'story-link' });
// Links to articles go to the publisher's page only when it is http(s), never to the referrer-carrying opener.
function articleLink(url, text = 'article ↗') {
  if (!url || !/^https?:\/\//i.test(url)) return '';
  return el('a', { href: url, textContent: text, rel: 'noopener noreferrer nofollow', target: '_blank', className: 'article-link' });
}
const severityBadge = (severity) => el('span', { className: `sev sev-${severity}`, textContent: severity });

// ---- situation: the map ----

let world = null;
async function loadWorld() {
  if (world) return world;
  const [svg, projection] = await Promise.all([
    fetch('/api/admin/console/world.svg').then((r) => r.text()),
    fetch('/api/admin/console/world-projection.json').then((r) => r.json()),
  ]);
  world = { svg, projection };
  return world;
}

// Equal Earth, as d3-geo's geoEqualEarthRaw with the scale and translate of the map (eng/map/README.md).
function project(lon, lat) {
  const { scale, translate } = world.projection;
  const [A1, A2, A3, A4, M] = [1.340264, -0.081106, 0.000893, 0.003796, Math.sqrt(3) / 2];
  const l = lon * Math.PI / 180, t = Math.asin(M * Math.sin(lat * Math.PI / 180)), t2 = t * t, t6 = t2 * t2 * t2;
  return [translate[0] + scale * l * Math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2))), translate[1] - scale * t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))];
}

const SVG = 'http://www.w3.org/2000/svg';
const svgEl = (tag, attrs = {}) => { const node = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v); return node; };

async function loadSituation() {
  await loadCountryNames();
  const { status: code, data } = await api('GET', `/api/admin/situation?days=${encodeURIComponent($('map-days').value)}`);
  if (code !== 200) { status(problemText(data)); return; }
  await loadWorld();
  // The map is our own static asset (no data in it); the data only sets classes, labels and links.
  const svg = new DOMParser().parseFromString(world.svg, 'image/svg+xml').documentElement;
  svg.setAttribute('role', 'group'); // it holds links: not an image
  svg.removeAttribute('aria-labelledby');
  svg.setAttribute('aria-label', 'World map: countries shaded by their highest severity; each one links to its page');
  svg.querySelector('title')?.remove();
  const byCode = new Map(data.countries.map((c) => [c.code, c]));
  for (const path of [...svg.querySelectorAll('path[data-code]')]) {
    const c = byCode.get(path.dataset.code);
    if (!c) continue;
    path.classList.add(`sev-fill-${c.maxSeverity}`);
    if (c.trends.length) path.classList.add('trend');
    const link = svgEl('a', { href: `#country/${c.code}`, 'aria-label': `${c.name}: ${c.maxSeverity === 'none' ? 'reported, no alert' : c.maxSeverity}, ${plural(c.articles, 'article', 'articles')}` });
    link.classList.add('country-link');
    link.dataset.code = c.code;
    const title = svgEl('title');
    title.textContent = `${c.name} · ${c.maxSeverity} · ${plural(c.articles, 'article', 'articles')}${c.trends.length ? ' · ' + c.trends[0].evidence : ''}`;
    path.replaceWith(link);
    link.append(title, path);
  }
  for (const place of data.places) {
    const [x, y] = project(place.longitude, place.latitude);
    const marker = svgEl('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: place.maxSeverity === 'critical' ? 4.5 : 3.5, class: `marker sev-fill-${place.maxSeverity}` });
    const title = svgEl('title');
    title.textContent = `${placeText(place)}, ${countryName(place.country)} · ${place.maxSeverity} · ${plural(place.articles, 'article', 'articles')}`;
    marker.append(title);
    const link = svgEl('a', { href: `#country/${place.country}`, 'aria-label': title.textContent });
    link.append(marker);
    svg.append(link);
  }
  $('map').replaceChildren(svg);
  const headings = ['Country', 'Highest severity', 'Articles', 'Alerting articles', 'Signals', 'Surge or silence'];
  table('map-countries', `Countries reported on in the last ${plural(Number($('map-days').value), 'day', 'days')}`, headings, data.countries.slice(0, 60).map((c) => row(headings, [
    el('a', { href: `#country/${c.code}`, textContent: c.name }), severityBadge(c.maxSeverity), c.articles, c.alerting, c.signals.join(', '), c.trends.map((t) => t.evidence).join('; ')])));
  status(data.countries.length === 0 ? 'No articles in this period yet.' : `${plural(data.articles, 'article', 'articles')} read; ${plural(data.countries.length, 'country', 'countries')} reported on (days in UTC).`);
}

$('filter-situation').addEventListener('submit', (event) => { event.preventDefault(); loadSituation(); });

// ---- a country's page ----

state.countryDays = 30;
async function loadCountry(code) {
  await loadCountryNames();
  state.country = code;
  const { status: code2, data } = await api('GET', `/api/admin/countries/${encodeURIComponent(code)}?days=${state.countryDays}`);
  if (code2 !== 200) { $('country-title').textContent = 'Country'; status(problemText(data)); return; }
  $('country-title').textContent = data.name;
  $('country-region').textContent = [data.subRegion, data.region].filter(Boolean).join(', ');
  for (const button of document.querySelectorAll('#country [data-days]')) {
    if (Number(button.dataset.days) === data.days) button.setAttribute('aria-pressed', 'true'); else button.setAttribute('aria-pressed', 'false');
  }
  $('country-trends').replaceChildren(...data.trends.map((t) => el('p', { className: 'panel warn', textContent: `${t.kind === 'surge' ? 'Surge' : 'Silence'} at ${dateText(t.hour)}: ${t.evidence}` })));
  $('timeline').replaceChildren(timelineChart(data.timeline, data.name));
  const totals = new Map();
  for (const day of data.timeline) for (const [signal, n] of Object.entries(day.signals)) totals.set(signal, (totals.get(signal) ?? 0) + n);
  const signalHeadings = ['Signal', 'Articles'];
  table('country-signals', `Signals in the last ${data.days} days`, signalHeadings, [...totals].sort((a, b) => b[1] - a[1]).map(([s, n]) => row(signalHeadings, [s, n])));
  $('country-stories').replaceChildren(...data.activeAlerts.map((a) => el('li', {}, severityBadge(a.severity), ' ', storyLink(a.storyId, a.title), ' ', articleLink(a.url),
    el('div', { textContent: [countryText(a.countries, a.place), plural(a.sourceCount, 'source', 'sources'), `changed ${dateText(a.changedAt)}`].join(' · ') }))));
  if (!data.activeAlerts.length) $('country-stories').replaceChildren(el('li', { textContent: 'No active story in the last 72 hours.' }));
  $('country-places').replaceChildren(...data.places.map((p) => el('li', {}, severityBadge(p.maxSeverity), ` ${placeText(p)}: ${plural(p.articles, 'article', 'articles')}`)));
  const feedHeadings = ['Feed', 'Articles about it', 'Last success', 'Last error', 'Failures in a row'];
  table('country-feeds', 'Feeds that reported on it, and their health', feedHeadings, data.feeds.map((f) => row(feedHeadings, [f.feed.title || f.feed.url, f.articles, dateText(f.feed.lastSuccessAt), f.feed.lastError ?? '–', f.feed.consecutiveFailures])));
  const total = data.timeline.reduce((n, d) => n + d.articles, 0);
  status(`${plural(total, 'article', 'articles')} in the last ${data.days} days.`);
}

for (const button of document.querySelectorAll('#country [data-days]')) {
  button.addEventListener('click', () => { state.countryDays = Number(button.dataset.days); loadCountry(state.country); });
}

// A bar per day: the articles that did not alert, then watch, warning and critical stacked on top; a table for screen readers.
function timelineChart(days, name) {
  const width = 720, height = 190, top = 10, left = 34, bottom = 22, max = Math.max(1, ...days.map((d) => d.articles));
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Articles per day about ${name}` });
  const bar = (width - left) / days.length;
  const y = (n) => top + (height - bottom - top) * (1 - n / max);
  svg.append(svgEl('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
  for (const tick of [0, Math.ceil(max / 2), max]) {
    const label = svgEl('text', { x: left - 4, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick' });
    label.textContent = tick;
    svg.append(label);
  }
  days.forEach((d, i) => {
    let base = 0;
    const none = d.articles - d.watch - d.warning - d.critical;
    for (const [count, severity] of [[none, 'none'], [d.watch, 'watch'], [d.warning, 'warning'], [d.critical, 'critical']]) {
      if (count <= 0) continue;
      const rect = svgEl('rect', { x: (left + i * bar + 1).toFixed(1), y: y(base + count).toFixed(1), width: Math.max(1, bar - 2).toFixed(1), height: (y(base) - y(base + count)).toFixed(1), class: `sev-fill-${severity}` });
      const title = svgEl('title');
      title.textContent = `${d.day.slice(0, 10)}: ${count} ${severity === 'none' ? 'without alert' : severity}`;
      rect.append(title);
      svg.append(rect);
      base += count;
    }
    if (i % Math.ceil(days.length / 7) === 0) {
      const label = svgEl('text', { x: left + i * bar + bar / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' });
      label.textContent = d.day.slice(5, 10);
      svg.append(label);
    }
  });
  const headings = ['Day', 'Articles', 'Watch', 'Warning', 'Critical'];
  const details = el('details', {}, el('summary', { textContent: 'The numbers' }), el('table', { className: 'grid' },
    el('tr', {}, ...headings.map((h) => el('th', { scope: 'col', textContent: h }))),
    ...days.filter((d) => d.articles > 0).map((d) => row(headings, [d.day.slice(0, 10), d.articles, d.watch, d.warning, d.critical]))));
  return el('div', {}, svg, details);
}

// ---- a story's page ----

async function loadStory(id) {
  await loadCountryNames();
  const { status: code, data } = await api('GET', `/api/admin/stories/${encodeURIComponent(id)}`);
  if (code !== 200) { $('story-title').textContent = 'Story'; $('story-summary').replaceChildren(); $('story-articles').replaceChildren(); status(problemText(data)); return; }
  $('story-title').textContent = data.title;
  $('story-summary').replaceChildren(severityBadge(data.maxSeverity), ' ',
    [countryText(data.countries, data.alert?.place), plural(data.sources.length, 'source', 'sources') + (data.sources.length ? ` (${data.sources.join(', ')})` : ''),
      `first seen ${dateText(data.firstSeen)}`, `last seen ${dateText(data.lastSeen)}`, data.languages.length ? `languages: ${data.languages.join(', ')}` : ''].filter(Boolean).join(' · '));
  if (!data.articles.length && data.alert) {
    $('story-articles').replaceChildren(el('li', {}, el('strong', { textContent: 'Why' }), evidenceList(data.alert.evidence)));
  } else {
    $('story-articles').replaceChildren(...data.articles.map((a) => el('li', {},
      severityBadge(a.severity), ' ', el('strong', { textContent: a.title || '(no title)' }), ' ', articleLink(a.url),
      el('div', { textContent: [a.source, a.published ? `published ${dateText(a.published)}` : '', `read ${dateText(a.scoredAt)}`, a.language ?? '',
        a.places.length ? a.places.slice(0, 3).map(placeText).join('; ') : ''].filter(Boolean).join(' · ') }),
      a.newSource ? el('span', { className: 'badge', textContent: 'new source' }) : '', a.severityRose ? el('span', { className: 'badge rose', textContent: `severity rose to ${a.severity}` }) : '',
      a.signals.length ? evidenceList(a.signals) : '')));
  }
  status(`${plural(data.articles.length, 'article', 'articles')} in the order they were read.`);
}

// ---- archive ----

async function searchArchive(more = false) {
  // "More" continues the search it was shown under, whatever the form says now.
  const query = more && state.archiveQuery ? new URLSearchParams(state.archiveQuery) : new URLSearchParams({ pageSize: '25' });
  if (!more) {
    for (const [id, name] of [['archive-q', 'q'], ['archive-country', 'country'], ['archive-place', 'place'], ['archive-signal', 'signal'], ['archive-severity', 'severity'], ['archive-from', 'from'], ['archive-to', 'to']]) {
      if ($(id).value.trim()) query.set(name, $(id).value.trim());
    }
    state.archiveQuery = query.toString();
  }
  if (more && state.archiveContinuation) query.set('continuation', state.archiveContinuation);
  status('Searching…');
  const { status: code, data } = await api('GET', `/api/admin/archive?${query}`);
  if (code !== 200) { status(problemText(data)); if (!more) $('archive-results').replaceChildren(); $('more-archive').hidden = true; return; }
  const items = data.items.map((e) => el('li', {}, severityBadge(e.severity), ' ',
    e.storyId ? storyLink(e.storyId, e.title) : el('strong', { textContent: e.title || '(no title)' }), ' ', articleLink(e.url),
    el('div', { textContent: [countryText(e.countries, e.place), e.signals.join(', '), e.published ? `published ${dateText(e.published)}` : `read ${dateText(e.readAt)}`, e.language ?? ''].filter(Boolean).join(' · ') }),
    el('p', { className: 'lead', textContent: e.lead.length > 240 ? `${e.lead.slice(0, 240)}…` : e.lead })));
  if (more) $('archive-results').append(...items); else $('archive-results').replaceChildren(...items);
  state.archiveContinuation = data.continuation;
  $('more-archive').hidden = !data.continuation;
  const shown = $('archive-results').children.length;
  status(shown === 0 ? 'Nothing matches.' : `${plural(shown, 'article', 'articles')}${data.continuation ? ', more below' : ''}.`);
}

$('search-archive').addEventListener('submit', (event) => { event.preventDefault(); searchArchive(); });
$('more-archive').addEventListener('click', () => searchArchive(true));

// ---- feedback ----

async function loadFeedback() {
  const { status: code, data } = await api('GET', `/api/admin/feedback?days=${encodeURIComponent($('feedback-days').value)}`);
  if (code !== 200) { status(problemText(data)); return; }
  const headings = ['Signal', 'Useful', 'False alarm', 'Wrong place', 'False-alarm rate'];
  const counts = (c) => [c.useful, c.falseAlarm, c.wrongPlace, `${Math.round(c.falseAlarmRate * 100)}%`];
  table('feedback-signals', 'By signal', headings, data.signals.map((c) => row(headings, [c.key, ...counts(c)])));
  const ruleHeadings = ['Rule', ...headings.slice(1)];
  table('feedback-rules', 'By keyword-list rule (most false alarms first)', ruleHeadings, data.rules.slice(0, 30).map((c) => row(ruleHeadings, [c.key, ...counts(c)])));
  $('feedback-false-alarms').replaceChildren(...data.falseAlarms.map((f) => el('li', {},
    el('strong', { textContent: f.title }),
    el('div', { textContent: `${f.countries.join(', ')} · ${f.signals.join(', ')} · ${dateText(f.at)}` }))));
  status(data.records === 0 ? 'No feedback in this period.' : `${plural(data.records, 'answer', 'answers')} from subscribers.`);
}

$('filter-feedback').addEventListener('submit', (event) => { event.preventDefault(); loadFeedback(); });

// ---- start ----

const who = await whoAmI();
if (who) {
  signedIn(who);
  await route();
} else {
  signedOut();
}
