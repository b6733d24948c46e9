// Replay side by side: the versioned results topics (xas.results.<version>, shadow) offered for overlay, and the
// selected sample's results in one of them.
import { $, el } from './dom.js';

export async function loadReplayTopics() {
  const response = await fetch('/api/replays');
  if (!response.ok) return;
  const select = $('replay');
  const current = select.value;
  const names = await response.json();
  const options = [el('option', null, 'no replay'), ...names.map((n) => el('option', null, n))];
  options[0].value = '';
  names.forEach((n, i) => { options[i + 1].value = n; });
  select.replaceChildren(...options);
  select.value = names.includes(current) ? current : '';
}

export async function loadReplay(topic, selection) {
  if (!topic || !selection) return null;
  const params = new URLSearchParams({ topic, experiment: selection.experimentId, sample: selection.sampleId });
  const response = await fetch('/api/replay?' + params.toString());
  return response.ok ? response.json() : null;
}
