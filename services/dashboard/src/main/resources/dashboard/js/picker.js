// The sample picker: every sample the dashboard follows, newest first, with live counts.
import { $, el } from './dom.js';

export function keyOf(s) {
  return `${s.experimentId}/${s.sampleId}`;
}

export function renderPicker(samples, selected) {
  const select = $('sample');
  const wanted = selected ? keyOf(selected) : null;
  const options = samples.map((s) => {
    const count = Math.max(s.results, s.spectraSeen);
    const alerts = s.alerts ? `, ${s.alerts} alert${s.alerts === 1 ? '' : 's'}` : '';
    const o = el('option', null, `${s.sampleId} \u00b7 ${s.experimentId} \u00b7 ${s.element} \u00b7 ${count} spectra${alerts}`);
    o.value = keyOf(s);
    o.selected = o.value === wanted;
    return o;
  });
  select.replaceChildren(...options);
}

export function selectedSample(samples) {
  const key = $('sample').value;
  return samples.find((s) => keyOf(s) === key) || null;
}
