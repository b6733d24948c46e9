// What the page holds for the selected sample: results in acquisition order (no duplicates, bounded), alerts, the
// latest spectra and state, plus the sample list and service stats that every event carries.
const MAX_RESULTS = 20000;
const MAX_SPECTRA = 8;
const SPECTRA_SPACING_MS = 5000;

export class Store {
  constructor() {
    this.samples = [];
    this.stats = null;
    this.clear();
  }

  clear() {
    this.results = [];
    this.ids = new Set();
    this.alerts = [];
    this.alertIds = new Set();
    this.spectra = [];
    this.state = null;
  }

  apply(batch) {
    if (batch.reset) this.clear();
    for (const r of batch.results || []) this.addResult(r);
    for (const a of batch.alerts || []) {
      if (!this.alertIds.has(a.alertId)) {
        this.alertIds.add(a.alertId);
        this.alerts.push(a);
      }
    }
    this.alerts.sort((a, b) => a.t - b.t);
    for (const s of batch.spectra || []) this.addSpectrum(s);
    const states = batch.states || [];
    if (states.length) this.state = states[states.length - 1];
    if (batch.samples) this.samples = batch.samples;
    if (batch.stats) this.stats = batch.stats;
  }

  // the newest spectrum always shows; the others stay SPECTRA_SPACING_MS apart (acquisition time), so the overlay
  // shows the change over minutes rather than the noise of the last seconds
  addSpectrum(s) {
    const list = this.spectra;
    if (list.some((x) => x.spectrumId === s.spectrumId) || (list.length && s.t < list[list.length - 1].t)) return;
    if (list.length >= 2 && list[list.length - 1].t - list[list.length - 2].t < SPECTRA_SPACING_MS) list.pop();
    list.push(s);
    list.splice(0, Math.max(0, list.length - MAX_SPECTRA));
  }

  addResult(r) {
    if (this.ids.has(r.spectrumId)) return;
    this.ids.add(r.spectrumId);
    const list = this.results;
    let i = list.length;
    while (i > 0 && list[i - 1].t > r.t) i--; // results of one sample arrive in order: this rarely moves
    list.splice(i, 0, r);
    if (list.length > MAX_RESULTS) this.ids.delete(list.shift().spectrumId);
  }

  // the results inside the chosen time range (seconds back from the newest; 0 = all)
  inRange(rangeSeconds) {
    if (!rangeSeconds || !this.results.length) return this.results;
    const from = this.results[this.results.length - 1].t - rangeSeconds * 1000;
    return this.results.filter((r) => r.t >= from);
  }
}
