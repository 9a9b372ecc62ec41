// ActorTrain dashboard: one JSON document per server-sent event (/events), drawn with plain canvas and SVG.
(function () {
  'use strict';
  const $ = id => document.getElementById(id);
  const fmt = (v, digits) => (v === undefined || v === null || !isFinite(v)) ? '–' : Number(v).toFixed(digits);
  const big = v => (v === undefined || v === null || !isFinite(v)) ? '–' : Math.round(v).toLocaleString('en-US');

  function shortAddress(a) { const m = /@([^:]+:\d+)$/.exec(a); return m ? m[1] : a; }

  function drawLines(canvas, series, opts) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, left = 56, right = 10, top = 10, bottom = 26;
    ctx.clearRect(0, 0, w, h);
    const all = series.flatMap(s => s.points);
    const main = series[0].points;
    canvas.dataset.points = String(main.length); // read by the browser test
    canvas.dataset.lastStep = main.length ? String(main[main.length - 1][0]) : '0';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#6b7385';
    if (all.length === 0) { ctx.fillText('waiting for the first steps…', left, h / 2); return; }
    let x0 = Math.min(...all.map(p => p[0])), x1 = Math.max(...all.map(p => p[0]));
    let y0 = Math.min(...all.map(p => p[1])), y1 = Math.max(...all.map(p => p[1]));
    if (opts.zero) y0 = Math.min(0, y0);
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) { y1 += Math.abs(y1) * 0.05 + 1e-6; y0 -= Math.abs(y0) * 0.05 + 1e-6; }
    const X = x => left + (x - x0) / (x1 - x0) * (w - left - right);
    const Y = y => top + (1 - (y - y0) / (y1 - y0)) * (h - top - bottom);
    ctx.strokeStyle = '#e6e8ee'; ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = y0 + (y1 - y0) * i / 4, py = Y(y);
      ctx.beginPath(); ctx.moveTo(left, py); ctx.lineTo(w - right, py); ctx.stroke();
      ctx.fillText(opts.label(y), 4, py + 4);
    }
    ctx.fillText('step ' + Math.round(x0), left, h - 8);
    const last = 'step ' + Math.round(x1);
    ctx.fillText(last, w - right - ctx.measureText(last).width, h - 8);
    for (const s of series) {
      if (s.points.length === 0) continue;
      ctx.strokeStyle = s.color; ctx.fillStyle = s.color; ctx.lineWidth = 2;
      ctx.beginPath();
      s.points.forEach((p, i) => i === 0 ? ctx.moveTo(X(p[0]), Y(p[1])) : ctx.lineTo(X(p[0]), Y(p[1])));
      ctx.stroke();
      if (s.points.length < 40) for (const p of s.points) { ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), 2.5, 0, 7); ctx.fill(); }
    }
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function drawRankBars(svg, ranks) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const w = 560, h = 220, left = 64, right = 190, top = 6;
    const withTimes = ranks.filter(r => r.stepSeconds > 0);
    if (withTimes.length === 0) { svg.appendChild(el('text', { x: left, y: h / 2, fill: '#6b7385' }, 'waiting for the first steps…')); return; }
    const max = Math.max(...withTimes.map(r => r.stepSeconds));
    // Steps are synchronous: every rank's step lasts about as long as the slowest one's, and the others spend the
    // difference waiting for the gradient sync. So the slow rank is the one with the most work (step minus wait),
    // clearly more than the median of the others.
    const work = r => Math.max(0, r.stepSeconds - r.syncWaitSeconds);
    const works = withTimes.map(work).sort((a, b) => a - b);
    const others = works.slice(0, -1), most = works[works.length - 1];
    const slowLimit = others.length ? others[Math.floor((others.length - 1) / 2)] * 1.25 : Infinity;
    const band = Math.min(36, (h - top) / ranks.length), bar = band * 0.7;
    ranks.forEach((r, i) => {
      const y = top + i * band, len = max > 0 ? (r.stepSeconds / max) * (w - left - right) : 0;
      const wait = max > 0 ? (Math.min(r.syncWaitSeconds, r.stepSeconds) / max) * (w - left - right) : 0;
      const slow = r.stepSeconds > 0 && work(r) === most && most > slowLimit;
      svg.appendChild(el('text', { x: 4, y: y + bar * 0.75, fill: '#1d2330', 'font-size': 12 }, 'rank ' + r.rank));
      svg.appendChild(el('rect', { x: left, y, width: Math.max(1, len), height: bar, fill: slow ? '#d64545' : '#2a6fdb',
        class: 'rank-bar' + (slow ? ' slow' : ''), 'data-rank': r.rank, 'data-seconds': r.stepSeconds }));
      if (wait > 0) svg.appendChild(el('rect', { x: left + len - wait, y, width: wait, height: bar, fill: 'rgba(255,255,255,.45)' }));
      svg.appendChild(el('text', { x: left + len + 6, y: y + bar * 0.75, fill: '#6b7385', 'font-size': 12 },
        (r.stepSeconds * 1000).toFixed(1) + ' ms (' + (r.syncWaitSeconds * 1000).toFixed(1) + ' waiting)' + (slow ? ' slowest' : '')));
    });
  }

  function renderNodes(nodes) {
    const body = $('nodes').tBodies[0];
    body.textContent = '';
    for (const n of nodes) {
      const tr = document.createElement('tr');
      const status = n.reachable ? n.status : 'unreachable';
      tr.className = 'node';
      tr.dataset.status = status;
      const cells = [n.nodeRank >= 0 ? String(n.nodeRank) : '–', shortAddress(n.address), status,
        n.ranks.length ? n.ranks.join(', ') : '–', n.shards.length ? n.shards.join(', ') : '–'];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i === 2) td.className = 'status ' + status;
        if (i === 1 && n.coordinator) { const s = document.createElement('span'); s.className = 'coordinator'; s.textContent = 'coordinator, dashboard'; td.appendChild(s); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
  }

  function render(s) {
    $('step').textContent = String(s.step);
    $('total-steps').textContent = s.totalSteps ? String(s.totalSteps) : '?';
    const lastLoss = s.loss.length ? s.loss[s.loss.length - 1][1] : null;
    const lastRate = s.throughput.length ? s.throughput[s.throughput.length - 1][1] : null;
    $('loss').textContent = fmt(lastLoss, 4);
    $('tokens-per-second').textContent = big(lastRate);
    $('phase').textContent = s.phase;
    $('phase').className = 'phase ' + s.phase;
    renderNodes(s.nodes);
    drawLines($('loss-chart'), [{ points: s.loss, color: '#2a6fdb' }, { points: s.validationLoss, color: '#d9822b' }], { label: v => v.toFixed(3) });
    drawLines($('throughput-chart'), [{ points: s.throughput, color: '#2e9d5b' }], { zero: true, label: v => big(v) });
    drawRankBars($('rank-bars'), s.ranks);
    const list = $('warnings');
    list.textContent = '';
    if (s.warnings.length === 0) { const li = document.createElement('li'); li.className = 'none'; li.textContent = 'none'; list.appendChild(li); }
    for (const w of s.warnings.slice().reverse()) {
      const li = document.createElement('li');
      li.textContent = new Date(w.time).toLocaleTimeString() + '  ' + w.text;
      list.appendChild(li);
    }
    $('checkpoint').textContent = s.lastCheckpoint ? 'step ' + s.lastCheckpoint.step + ': ' + s.lastCheckpoint.path : 'none yet';
    $('updated').textContent = new Date(s.updated).toLocaleTimeString();
  }

  const source = new EventSource('/events');
  source.onopen = () => { $('connection').textContent = 'live'; };
  source.onerror = () => { $('connection').textContent = 'reconnecting…'; };
  source.onmessage = m => render(JSON.parse(m.data));
})();
