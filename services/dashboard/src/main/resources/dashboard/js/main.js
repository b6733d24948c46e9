// Wires the page: the stream of the selected sample into the store, the controls, and redraws (one per frame).
import { $ } from './dom.js';
import { Store } from './store.js';
import { Stream } from './stream.js';
import { View } from './view.js';
import { resetZoom } from './charts.js';
import { conditionNames } from './series.js';
import { keyOf, renderPicker, selectedSample } from './picker.js';
import { exportCsv, exportPng } from './exports.js';
import { loadReplay, loadReplayTopics } from './replay.js';

const store = new Store();
const view = new View();
let selection = null;
let paused = false;
let replay = null;
let scheduled = false;

function options() {
  return { xaxis: $('xaxis').value, range: Number($('range').value), replay };
}

function redraw() {
  if (scheduled || paused) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    view.render(store, options());
    $('card-ox').dataset.sample = selection ? keyOf(selection) : '';
  });
}

function status(state) {
  const s = $('status');
  s.className = `status ${paused ? 'paused' : state}`;
  s.textContent = paused ? 'paused (data still arriving)' : state === 'live' ? 'live' : state;
}

function updateConditions() {
  const select = $('xaxis');
  const have = [...select.options].map((o) => o.value);
  for (const name of conditionNames(store.results)) {
    if (!have.includes(name)) {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name;
      select.appendChild(o);
    }
  }
}

function select(sample) {
  selection = sample;
  if (sample) window.location.hash = encodeURIComponent(keyOf(sample));
  replay = null;
  $('replay').value = '';
  resetZoom();
  store.clear();
  stream.open(sample);
}

const stream = new Stream((batch) => {
  store.apply(batch);
  if (!selection && store.samples.length) {
    const wanted = decodeURIComponent(window.location.hash.slice(1));
    select(store.samples.find((s) => keyOf(s) === wanted) || store.samples[0]);
  }
  renderPicker(store.samples, selection);
  updateConditions();
  redraw();
}, status);

$('sample').addEventListener('change', () => select(selectedSample(store.samples)));
$('xaxis').addEventListener('change', redraw);
$('range').addEventListener('change', () => { resetZoom(); redraw(); });
$('follow').addEventListener('click', () => {
  paused = !paused;
  $('follow').textContent = paused ? 'Follow live' : 'Pause';
  $('follow').setAttribute('aria-pressed', String(paused));
  status('live');
  redraw();
});
$('replay').addEventListener('focus', loadReplayTopics);
$('replay').addEventListener('change', async () => {
  replay = await loadReplay($('replay').value, selection);
  redraw();
});
$('csv').addEventListener('click', () => exportCsv(store.inRange(Number($('range').value)),
  conditionNames(store.results), `xasstream-${selection ? selection.sampleId : 'all'}.csv`));
for (const button of document.querySelectorAll('button.png')) {
  button.addEventListener('click', () => {
    const name = button.dataset.chart;
    const canvas = name === 'heat' ? $('heat') : view.charts()[name].canvas();
    exportPng(canvas, `xasstream-${name}-${selection ? selection.sampleId : 'all'}.png`);
  });
}

loadReplayTopics();
stream.open(null);
