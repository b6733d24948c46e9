// Draws the selected sample: every chart, the heat map, the spectra, alerts, models and stats.
import { $, fmt, timeText } from './dom.js';
import { BandChart, LineChart, classColour, currentZoom, resizeAll } from './charts.js';
import { PICK, bandColumns, probabilityColumns, xOf } from './series.js';
import { drawHeatmap } from './heatmap.js';
import { spectraColumns, spectraNote } from './spectra.js';
import { renderAlerts } from './alerts.js';
import { renderModels, renderStats } from './provenance.js';

export class View {
  constructor() {
    this.markers = [];
    const markers = () => this.markers;
    this.ox = new BandChart($('chart-ox'), 'oxidation state', markers);
    this.cn = new BandChart($('chart-cn'), 'coordination number', markers);
    this.dist = new BandChart($('chart-dist'), 'distance (Å)', markers);
    this.oxp = new LineChart($('chart-oxp'), 'acquisition time', 'P(class)', 120, markers);
    this.cnp = new LineChart($('chart-cnp'), 'acquisition time', 'P(class)', 120, markers);
    this.pdf = new LineChart($('chart-pdf'), 'r (Å)', 'G2');
    this.spectra = new LineChart($('chart-spectra'), 'E − E0 (eV)', 'normalised μ(E)');
    window.addEventListener('resize', () => resizeAll(this.all()));
  }

  all() {
    return [this.ox, this.cn, this.dist, this.oxp, this.cnp, this.pdf, this.spectra];
  }

  charts() {
    return { ox: this.ox, cn: this.cn, dist: this.dist, pdf: this.pdf, spectra: this.spectra };
  }

  render(store, { xaxis, range, replay }) {
    const results = store.inRange(range);
    this.markers = store.alerts.map((a) => (xaxis === 'time' ? a.t / 1000
      : a.conditions && a.conditions[xaxis] ? a.conditions[xaxis].value : null)).filter((x) => x !== null);
    const xRange = xaxis === 'time' ? currentZoom() : null;
    const ox = bandColumns(results, xaxis, PICK.ox, 'oxidation_state', replay);
    this.ox.update(ox.data, xaxis, xRange);
    $('ox-count').textContent = `${ox.points} points`;
    const cn = bandColumns(results, xaxis, PICK.cn, 'coordination_number', replay);
    this.cn.update(cn.data, xaxis, xRange);
    $('cn-count').textContent = `${cn.points} points`;
    const dist = bandColumns(results, xaxis, PICK.dist, 'pdf', replay);
    this.dist.update(dist.data, xaxis, xRange);
    $('dist-count').textContent = `${dist.points} points`;
    $('dist-note').textContent = dist.points ? '' : 'no first-shell distance from this sample\u2019s models';
    this.probabilities(this.oxp, results, xaxis, 'oxidationState');
    this.probabilities(this.cnp, results, xaxis, 'coordinationNumber');
    this.latestPdf(results);
    drawHeatmap($('heat'), $('heat-caption'), results);
    const sp = spectraColumns(store.spectra);
    if (sp) this.spectra.update(sp.data, sp.series);
    $('spectra-note').textContent = spectraNote(store.spectra);
    renderAlerts(store.alerts);
    const latest = store.results[store.results.length - 1];
    renderModels(latest);
    renderStats(store.stats);
    this.summary(store, latest, results, xaxis);
  }

  probabilities(chart, results, xaxis, field) {
    const p = probabilityColumns(results, xaxis, field);
    const series = p.classes.map((c, i) => ({ label: `P(${c})`, stroke: classColour(i),
      paths: xaxis === 'time' ? undefined : () => null, points: { show: xaxis !== 'time', size: 4 } }));
    chart.update(p.data, series, { timeX: xaxis === 'time', xLabel: xaxis === 'time' ? 'acquisition time' : xaxis,
      yRange: [0, 1] });
  }

  latestPdf(results) {
    const last = [...results].reverse().find((r) => r.pdf && r.pdf.r && r.pdf.r.length);
    if (!last) return;
    const { r, mean, std } = last.pdf;
    const lo = mean.map((m, i) => m - 2 * std[i]);
    const hi = mean.map((m, i) => m + 2 * std[i]);
    this.pdf.update([r, mean, lo, hi], [
      { label: `latest (${timeText(last.t)})`, stroke: '#1f6feb', width: 2 },
      { label: '−2σ', stroke: 'rgba(31,111,235,0.25)', width: 0 },
      { label: '+2σ', stroke: 'rgba(31,111,235,0.25)', width: 0 },
    ], { bands: [{ series: [3, 2], fill: 'rgba(31,111,235,0.15)' }] });
  }

  summary(store, latest, results, xaxis) {
    $('sum-element').textContent = latest ? `${latest.element} ${latest.edge} edge` : 'waiting for results…';
    $('sum-count').textContent = `${store.results.length} spectra held`;
    const ox = latest && latest.oxidationState;
    const cn = latest && latest.coordinationNumber;
    $('sum-latest').textContent = latest ? `latest: oxidation state ${ox ? ox.predicted : '–'} `
      + `(${fmt(ox && ox.expectedValue)} ± ${fmt(ox && 2 * ox.std)}), CN ${cn ? cn.predicted : '–'}, `
      + `${latest.ood.flagged ? 'out of distribution for some model' : 'in distribution'}` : '';
    const xs = results.map((r) => xOf(r, xaxis)).filter((x) => x !== null);
    $('sum-range').textContent = results.length ? `${timeText(results[0].t)} – ${timeText(results[results.length - 1].t)}`
      + (xaxis === 'time' || !xs.length ? '' : `; ${xaxis} ${fmt(Math.min(...xs), 1)} – ${fmt(Math.max(...xs), 1)}`) : '';
  }
}
