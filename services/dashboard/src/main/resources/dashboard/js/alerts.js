// The alert timeline: newest first, quantity, before → after, time; rendered as text.
import { $, clear, el, fmt, timeText } from './dom.js';

function value(estimate, cls) {
  return cls !== null && cls !== undefined ? cls : estimate ? fmt(estimate.mean, 2) : '–';
}

export function renderAlerts(alerts) {
  const list = $('alerts');
  clear(list);
  for (const a of [...alerts].reverse()) {
    const li = el('li');
    li.appendChild(el('span', 'quantity', a.quantity.replace(/_/g, ' ')));
    li.appendChild(el('span', null, `: ${value(a.from, a.fromClass)} \u2192 ${value(a.to, a.toClass)} `));
    li.appendChild(el('span', 'muted', `at ${timeText(a.t)} (confidence ${fmt(a.confidence, 2)}, ${a.method})`));
    list.appendChild(li);
  }
  $('alert-count').textContent = `${alerts.length}`;
}
