// uPlot charts of the page: a value with its ±2σ band and styled points, class probabilities, and plain lines.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { STYLES } from './pointstyle.js';
import { markersPlugin } from './markers.js';

const HEIGHT = 220;
const CLASS_COLOURS = ['#1f6feb', '#2da44e', '#d29922', '#8250df', '#cf222e', '#0a7d8c', '#6e7781', '#bf3989'];
const zoomListeners = new Set();

function width(el) {
  return Math.max(300, el.clientWidth || 560);
}

function pointSeries(style) {
  const s = STYLES[style];
  return {
    label: s.label, stroke: s.stroke, fill: s.fill, paths: () => null,
    points: { show: true, size: 7, width: 2, stroke: s.stroke, fill: s.fill },
  };
}

function axes(xLabel, yLabel, timeX) {
  return [{ label: xLabel, values: timeX ? undefined : (u, v) => v.map((x) => x.toFixed(1)) }, { label: yLabel }];
}

// Time charts zoom together: a drag on one sets the x range of all, and the zoom survives new data until a
// double-click (which shows all data again) or a new sample.
let zoom = null;
let programmatic = false;

export function currentZoom() {
  return zoom;
}

export function resetZoom() {
  zoom = null;
}

function userZoomed(u) {
  if (programmatic) return;
  const xs = u.data[0];
  const { min, max } = u.scales.x;
  zoom = !xs.length || (min <= xs[0] && max >= xs[xs.length - 1]) ? null : { min, max };
  programmatic = true;
  try {
    for (const other of zoomListeners) {
      const xs2 = other.data[0];
      if (other !== u && xs2.length) other.setScale('x', zoom || { min: xs2[0], max: xs2[xs2.length - 1] });
    }
  } finally {
    programmatic = false;
  }
}

export class BandChart {
  constructor(el, yLabel, getMarkers) {
    this.el = el;
    this.yLabel = yLabel;
    this.getMarkers = getMarkers;
    this.plot = null;
    this.xaxis = null;
  }

  build(xaxis) {
    if (this.plot) {
      zoomListeners.delete(this.plot);
      this.plot.destroy();
    }
    const timeX = xaxis === 'time';
    const opts = {
      width: width(this.el), height: HEIGHT,
      scales: { x: { time: timeX } },
      axes: axes(timeX ? 'acquisition time' : xaxis, this.yLabel, timeX),
      cursor: { sync: { key: 'xas-time' }, drag: { x: true, y: false } },
      legend: { live: false },
      series: [
        {},
        { label: 'expected value', stroke: '#8c959f', width: 1, points: { show: false },
          paths: timeX ? undefined : () => null },
        ...Object.keys(STYLES).map(pointSeries),
        { label: '−2σ', stroke: 'rgba(31,111,235,0.25)', width: 0, points: { show: false } },
        { label: '+2σ', stroke: 'rgba(31,111,235,0.25)', width: 0, points: { show: false } },
        { label: 'replay', stroke: '#8250df', dash: [4, 3], width: 1.5, spanGaps: true, points: { show: false } },
      ],
      plugins: [markersPlugin(this.getMarkers)],
      hooks: timeX ? { setScale: [(u, key) => key === 'x' && userZoomed(u)] } : {},
    };
    const n = opts.series.length;
    opts.bands = [{ series: [n - 2, n - 3], fill: 'rgba(31,111,235,0.12)' }];
    this.plot = new uPlot(opts, [[], ...opts.series.slice(1).map(() => [])], this.el);
    zoomListeners.add(this.plot);
    this.xaxis = xaxis;
  }

  update(data, xaxis, xRange) {
    if (!this.plot || this.xaxis !== xaxis) this.build(xaxis);
    programmatic = true;
    try {
      this.plot.setData(data, !xRange);
      if (xRange) this.plot.setScale('x', xRange);
    } finally {
      programmatic = false;
    }
  }

  canvas() {
    return this.plot && this.plot.ctx.canvas;
  }
}

export class LineChart {
  constructor(el, xLabel, yLabel, height = HEIGHT, getMarkers = null) {
    this.el = el;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.height = height;
    this.getMarkers = getMarkers;
    this.plot = null;
    this.key = null;
  }

  // series: [{label, stroke, dash?, band?}], rebuilt when labels or the x axis change
  update(data, series, { timeX = false, xLabel = this.xLabel, bands = [], yRange = null } = {}) {
    const key = JSON.stringify([series.map((s) => s.label), timeX, xLabel]);
    if (!this.plot || key !== this.key) {
      if (this.plot) this.plot.destroy();
      this.plot = new uPlot({
        width: width(this.el), height: this.height,
        scales: { x: { time: timeX }, y: yRange ? { range: yRange } : {} },
        axes: axes(xLabel, this.yLabel, timeX),
        cursor: timeX ? { sync: { key: 'xas-time' } } : {},
        legend: { live: false },
        series: [{}, ...series.map((s) => ({ points: { show: false }, width: 1.5, ...s }))],
        bands,
        plugins: this.getMarkers ? [markersPlugin(this.getMarkers)] : [],
      }, data, this.el);
      this.key = key;
    } else {
      this.plot.setData(data);
    }
  }

  canvas() {
    return this.plot && this.plot.ctx.canvas;
  }
}

export function classColour(i) {
  return CLASS_COLOURS[i % CLASS_COLOURS.length];
}

export function resizeAll(charts) {
  for (const c of charts) if (c.plot) c.plot.setSize({ width: width(c.el), height: c.plot.height });
}
