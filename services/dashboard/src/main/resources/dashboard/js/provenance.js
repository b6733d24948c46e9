// Which model (and version) answered each task of the latest result, and the service's throughput, lag and dead
// letters as the dashboard sees them on the topics (plus the local meters when inference runs in this process).
import { $, clear, el, fmt } from './dom.js';

export function renderModels(latest) {
  const body = $('models').tBodies[0];
  clear(body);
  for (const m of (latest && latest.models) || []) {
    const tr = el('tr');
    tr.appendChild(el('td', null, m.task));
    tr.appendChild(el('td', null, m.id));
    tr.appendChild(el('td', null, m.version));
    body.appendChild(tr);
  }
}

export function renderStats(stats) {
  const dl = $('stats');
  clear(dl);
  if (!stats) return;
  const rows = [
    ['results', `${fmt(stats.resultsPerSecond, 1)}/s`],
    ['dead letters', `${fmt(stats.deadLettersPerSecond, 2)}/s`],
    ['inference lag', stats.lag ? (stats.lag.records >= 0 ? `${stats.lag.records} spectra (group ${stats.lag.group})`
      : `unknown (${stats.lag.error})`) : '…'],
    ['browsers', `${stats.browsers} connected, ${stats.browsersDropped} dropped for falling behind`],
  ];
  if (stats.local) {
    rows.push(['end-to-end (this process)', `mean ${stats.local.endToEndMeanMs} ms, max ${stats.local.endToEndMaxMs} ms`]);
  }
  if (stats.thinned) rows.push(['thinned from the live push', `${stats.thinned} results`]);
  for (const [k, v] of rows) {
    dl.appendChild(el('dt', null, k));
    dl.appendChild(el('dd', null, v));
  }
}
