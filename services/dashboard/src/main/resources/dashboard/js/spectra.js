// The latest normalised spectra overlaid on E − E0 (whole eV), colour from blue (oldest) to red (newest).
import { fmt } from './dom.js';

export function spectraColumns(spectra) {
  if (!spectra.length) return null;
  const from = Math.min(...spectra.map((s) => s.from));
  const to = Math.max(...spectra.map((s) => s.to));
  const xs = [];
  for (let x = from; x <= to; x++) xs.push(x);
  const cols = spectra.map((s) => xs.map((x) => {
    const i = x - s.from;
    return i >= 0 && i < s.y.length ? s.y[i] : null;
  }));
  const series = spectra.map((s, i) => {
    const f = spectra.length === 1 ? 1 : i / (spectra.length - 1);
    return { label: new Date(s.t).toLocaleTimeString(), stroke: `rgb(${Math.round(40 + 200 * f)},80,${Math.round(220 - 180 * f)})` };
  });
  return { data: [xs, ...cols], series };
}

export function spectraNote(spectra) {
  if (!spectra.length) return 'no spectra yet (the spectra topic is joined per sample, latest only)';
  const s = spectra[spectra.length - 1];
  return `latest: E0 = ${fmt(s.e0Ev, 1)} eV, edge step = ${fmt(s.edgeStep, 4)} (${spectra.length} spectra, `
    + 'Larch pre_edge normalisation, flattened)';
}
