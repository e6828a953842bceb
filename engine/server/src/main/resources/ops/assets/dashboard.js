// Kassa live operations dashboard: one EventSource on /ops/stream, a rolling window of
// snapshots, and small hand-drawn canvas charts (no library, no build step). Rates are
// differences of the node's counters between consecutive snapshots.
'use strict';

const WINDOW = 120; // seconds of history on the time-series charts
const COLORS = ['#58a6ff', '#bc8cff', '#3fb950', '#f0883e', '#f85149', '#d29922', '#39c5cf'];
const history = [];
let previous = null;

function sum(object) {
  return Object.values(object || {}).reduce((total, value) => total + value, 0);
}

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

function pill(id, ok, label, detail) {
  const element = document.getElementById(id);
  element.className = 'pill ' + (ok ? 'ok' : 'bad');
  element.textContent = label + (ok ? ' ✓' : ' ✗') + (detail ? ' ' + detail : '');
}

function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.height / (canvas.dataset.scaled ? ratio : 1);
  if (!canvas.dataset.scaled || canvas.width !== Math.round(width * ratio)) {
    canvas.dataset.scaled = '1';
    canvas.style.height = height + 'px';
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  return { context, width, height };
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function format(value) {
  if (value >= 10000) return (value / 1000).toFixed(0) + 'k';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

// Time series: series = [{label, values: [..numbers]}], drawn right-aligned to "now".
function lineChart(canvas, series, unit) {
  const { context, width, height } = prepare(canvas);
  const left = 40, right = 8, top = 16, bottom = 18;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = niceMax(Math.max(0, ...series.flatMap(s => s.values)) * 1.1);
  context.strokeStyle = '#2a3440';
  context.fillStyle = '#8a98a8';
  context.lineWidth = 1;
  const steps = plotHeight < 80 ? 2 : 4;
  for (let i = 0; i <= steps; i++) {
    const y = top + plotHeight - (plotHeight * i) / steps;
    context.beginPath(); context.moveTo(left, y); context.lineTo(width - right, y); context.stroke();
    context.fillText(format((max * i) / steps), 4, y + 4);
  }
  context.fillText('-' + WINDOW + ' s', left, height - 4);
  context.fillText('now', width - right - 22, height - 4);
  let legendX = left + 6;
  series.forEach((s, index) => {
    context.strokeStyle = s.color || COLORS[index % COLORS.length];
    context.lineWidth = 1.8;
    context.beginPath();
    const offset = WINDOW - s.values.length;
    s.values.forEach((value, i) => {
      const x = left + (plotWidth * (offset + i)) / (WINDOW - 1);
      const y = top + plotHeight - (plotHeight * Math.min(value, max)) / max;
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
    context.fillStyle = context.strokeStyle;
    const label = s.label + (s.values.length ? ' ' + format(s.values[s.values.length - 1])
      + (unit || '') : '');
    context.fillText(label, legendX, 11);
    legendX += context.measureText(label).width + 16;
  });
}

// Horizontal bars: entries = [[label, value]], optional max (e.g. 100 for percentages).
function barChart(canvas, entries, options) {
  const { context, width, height } = prepare(canvas);
  const opts = options || {};
  if (!entries.length) {
    context.fillStyle = '#8a98a8';
    context.fillText(opts.empty || 'no data yet', 8, height / 2);
    return;
  }
  const shown = entries.slice(0, 7);
  const labelWidth = 92, top = 4, rowHeight = Math.min(22, (height - top) / shown.length);
  const max = opts.max || niceMax(Math.max(...shown.map(e => e[1])));
  shown.forEach(([label, value, color], index) => {
    const y = top + index * rowHeight;
    context.fillStyle = '#8a98a8';
    context.fillText(String(label).slice(0, 14), 4, y + rowHeight * 0.65);
    const barWidth = ((width - labelWidth - 48) * Math.min(value, max)) / max;
    context.fillStyle = color || COLORS[index % COLORS.length];
    context.fillRect(labelWidth, y + 3, Math.max(1, barWidth), rowHeight - 7);
    context.fillStyle = '#d8e0e8';
    context.fillText(format(value) + (opts.unit || ''), labelWidth + barWidth + 6,
      y + rowHeight * 0.65);
  });
}

function rate(current, before, seconds) {
  return Math.max(0, (current - before) / seconds);
}

function onSnapshot(snapshot) {
  const now = Date.parse(snapshot.at);
  const seconds = previous ? Math.max(0.5, (now - Date.parse(previous.at)) / 1000) : 1;
  const committed = (snapshot.checkouts || {}).committed || 0;
  const all = sum(snapshot.checkouts);
  const points = snapshot.points || {};
  const point = {
    at: now,
    checkoutsPerSecond: previous ? rate(committed, (previous.checkouts || {}).committed || 0,
      seconds) : 0,
    refusedPerSecond: previous ? rate(all - committed, sum(previous.checkouts)
      - ((previous.checkouts || {}).committed || 0), seconds) : 0,
    p50: (snapshot.latencyMillis || {}).p50 || 0,
    p90: (snapshot.latencyMillis || {}).p90 || 0,
    p99: (snapshot.latencyMillis || {}).p99 || 0,
    issued: previous ? rate(points.issued || 0, (previous.points || {}).issued || 0, seconds) : 0,
    redeemed: previous ? rate(points.redeemed || 0, (previous.points || {}).redeemed || 0,
      seconds) : 0,
    expired: previous ? rate(points.expired || 0, (previous.points || {}).expired || 0,
      seconds) : 0,
    unknown: snapshot.unknownIntents || 0,
    holds: snapshot.holdsOutstanding || 0,
    errors: previous ? rate(snapshot.errorsTotal || 0, previous.errorsTotal || 0, seconds) : 0,
  };
  history.push(point);
  while (history.length > WINDOW) history.shift();
  previous = snapshot;
  render(snapshot, point, committed);
}

function render(snapshot, point, committed) {
  const probes = snapshot.probes || {};
  pill('pill-postgres', probes.postgres && probes.postgres.up, 'PostgreSQL',
    probes.postgres ? format(probes.postgres.lastMillis) + ' ms' : '');
  pill('pill-redis', probes.redis && probes.redis.up, 'Redis',
    probes.redis ? format(probes.redis.lastMillis) + ' ms' : '');
  pill('pill-hotcopy', snapshot.hotCopySettled, 'hot copy');
  setText('updated', 'updated ' + new Date(point.at).toLocaleTimeString()
    + ' · up ' + snapshot.upSeconds + ' s');
  setText('kpi-rate', format(point.checkoutsPerSecond));
  setText('kpi-total', String(Math.round(committed)));
  setText('kpi-p50', format(point.p50));
  setText('kpi-p90', format(point.p90));
  setText('kpi-p99', format(point.p99));
  setText('kpi-issued', String(Math.round((snapshot.points || {}).issued || 0)));
  setText('kpi-terminals', String(sum(snapshot.terminals)));
  setText('kpi-batch', format((snapshot.groupCommit || {}).meanSize || 0));
  setText('kpi-errors', String(Math.round(snapshot.errorsTotal || 0)));

  lineChart(document.getElementById('chart-rate'), [
    { label: 'committed', values: history.map(h => h.checkoutsPerSecond), color: '#3fb950' },
    { label: 'refused', values: history.map(h => h.refusedPerSecond), color: '#f85149' },
  ], '/s');
  lineChart(document.getElementById('chart-latency'), [
    { label: 'p50', values: history.map(h => h.p50), color: '#58a6ff' },
    { label: 'p90', values: history.map(h => h.p90), color: '#bc8cff' },
    { label: 'p99', values: history.map(h => h.p99), color: '#f0883e' },
  ], ' ms');
  barChart(document.getElementById('chart-payments'), paymentSuccess(snapshot),
    { max: 100, unit: ' %', empty: 'no payment channel traffic yet' });
  barChart(document.getElementById('chart-coupons'),
    Object.entries(snapshot.couponsRedeemed || {}).sort((a, b) => b[1] - a[1]),
    { empty: 'no coupon redeemed since start' });
  lineChart(document.getElementById('chart-points'), [
    { label: 'issued', values: history.map(h => h.issued), color: '#3fb950' },
    { label: 'redeemed', values: history.map(h => h.redeemed), color: '#58a6ff' },
    { label: 'expired', values: history.map(h => h.expired), color: '#d29922' },
  ], '/s');
  barChart(document.getElementById('chart-terminals'),
    Object.entries(snapshot.terminals || {}).filter(e => e[1] > 0).sort(),
    { empty: 'no terminal connected' });
  lineChart(document.getElementById('chart-backlog'), [
    { label: 'unknown intents', values: history.map(h => h.unknown), color: '#f85149' },
    { label: 'holds', values: history.map(h => h.holds), color: '#bc8cff' },
  ], '');
  lineChart(document.getElementById('chart-errors'), [
    { label: 'errors', values: history.map(h => h.errors), color: '#f85149' },
  ], '/s');
  const list = document.getElementById('errors');
  if (!(snapshot.errors || []).length) {
    const none = document.createElement('li');
    none.className = 'none';
    none.textContent = 'no errors since this node started';
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...(snapshot.errors || []).slice(-4).reverse().map(error => {
    const item = document.createElement('li');
    const when = document.createElement('span');
    when.textContent = new Date(error.at).toLocaleTimeString() + ' ' + error.kind + ' ';
    item.append(when, error.message);
    return item;
  }));
}

// Success per channel: paid / all payments when the intent machine reports them, otherwise
// answered / all gateway calls, otherwise accepted / all callbacks.
function paymentSuccess(snapshot) {
  const entries = [];
  const sources = [
    [snapshot.payments, 'succeeded'], [snapshot.gatewayCalls, 'answered'],
    [snapshot.callbacks, 'accepted'],
  ];
  const channels = new Set(sources.flatMap(([source]) => Object.keys(source || {})));
  for (const channel of [...channels].sort()) {
    for (const [source, success] of sources) {
      const counts = (source || {})[channel];
      const total = sum(counts);
      if (total > 0) {
        const succeeded = (counts[success] || 0) + (success === 'accepted'
          ? counts.duplicate || 0 : success === 'succeeded' ? counts.paid || 0 : 0);
        const percent = (100 * succeeded) / total;
        entries.push([channel, percent, percent >= 99 ? '#3fb950'
          : percent >= 95 ? '#d29922' : '#f85149']);
        break;
      }
    }
  }
  return entries;
}

function connect() {
  const streamPill = document.getElementById('pill-stream');
  const source = new EventSource('/ops/stream');
  source.addEventListener('snapshot', event => {
    streamPill.className = 'pill ok';
    streamPill.textContent = 'live';
    onSnapshot(JSON.parse(event.data));
  });
  source.onerror = () => {
    streamPill.className = 'pill bad';
    streamPill.textContent = 'reconnecting';
  };
}

window.addEventListener('resize', () => previous && render(previous, history[history.length - 1],
  (previous.checkouts || {}).committed || 0));
connect();
