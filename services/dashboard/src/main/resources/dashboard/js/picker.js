// The sample picker: every sample the dashboard follows, newest first, with live counts.
import { $, el } from './dom.js';

export function keyOf(s) {
  return `${s.experimentId}/${s.sampleId}`;
}

function label(s) {
  const count = Math.max(s.results, s.spectraSeen);
  const alerts = s.alerts ? `, ${s.alerts} alert${s.alerts === 1 ? '' : 's'}` : '';
  return `${s.sampleId} \u00b7 ${s.experimentId} \u00b7 ${s.element} \u00b7 ${count} spectra${alerts}`;
}

// The options are rebuilt only when the samples change, so that an open list stays open while counts tick.
export function renderPicker(samples, selected) {
  const select = $('sample');
  const wanted = selected ? keyOf(selected) : null;
  const same = select.options.length === samples.length
    && samples.every((s, i) => select.options[i].value === keyOf(s));
  if (same) {
    samples.forEach((s, i) => { select.options[i].textContent = label(s); });
  } else {
    select.replaceChildren(...samples.map((s) => {
      const o = el('option', null, label(s));
      o.value = keyOf(s);
      return o;
    }));
  }
  if (wanted !== null && select.value !== wanted) select.value = wanted;
}

export function selectedSample(samples) {
  const key = $('sample').value;
  return samples.find((s) => keyOf(s) === key) || null;
}
