// Results → chart columns: x (acquisition time in s, or an operando condition), the expected value line, one point
// series per point style, the ±2σ band, and class probabilities.
import { STYLES, pointStyle } from './pointstyle.js';

export const STYLE_NAMES = Object.keys(STYLES);

export function xOf(result, xaxis) {
  if (xaxis === 'time') return result.t / 1000;
  const c = result.conditions && result.conditions[xaxis];
  return c ? c.value : null;
}

export function conditionNames(results) {
  const names = new Set();
  for (const r of results) for (const k of Object.keys(r.conditions || {})) names.add(k);
  return [...names].sort();
}

// points with an x, sorted by x (a condition need not grow with time)
function placed(results, xaxis, pick) {
  const out = [];
  for (const r of results) {
    const x = xOf(r, xaxis);
    const e = pick(r);
    if (x !== null && e) out.push({ x, r, e });
  }
  if (xaxis !== 'time') out.sort((a, b) => a.x - b.x);
  return out;
}

// [x, mean, ...one series per style, lo, hi, replay]
export function bandColumns(results, xaxis, pick, task, replay) {
  const pts = placed(results, xaxis, pick);
  const rep = replay ? placed(replay, xaxis, pick) : [];
  const xs = [...new Set([...pts.map((p) => p.x), ...rep.map((p) => p.x)])].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const empty = () => new Array(xs.length).fill(null);
  const mean = empty();
  const lo = empty();
  const hi = empty();
  const styled = STYLE_NAMES.map(empty);
  const replayed = empty();
  for (const p of pts) {
    const i = index.get(p.x);
    mean[i] = p.e.v;
    lo[i] = p.e.v - 2 * p.e.sd;
    hi[i] = p.e.v + 2 * p.e.sd;
    styled[STYLE_NAMES.indexOf(pointStyle(p.r, task))][i] = p.e.v;
  }
  for (const p of rep) replayed[index.get(p.x)] = p.e.v;
  return { data: [xs, mean, ...styled, lo, hi, replayed], points: pts.length };
}

export function probabilityColumns(results, xaxis, field) {
  const pts = placed(results, xaxis, (r) => r[field]);
  const classes = [];
  for (const p of pts) for (const c of p.r[field].classes) if (!classes.includes(c)) classes.push(c);
  const cols = classes.map((c) => pts.map((p) => {
    const i = p.r[field].classes.indexOf(c);
    return i < 0 ? null : p.r[field].probabilities[i];
  }));
  return { classes, data: [pts.map((p) => p.x), ...cols] };
}

export const PICK = {
  ox: (r) => r.oxidationState && { v: r.oxidationState.expectedValue, sd: r.oxidationState.std },
  cn: (r) => r.coordinationNumber && { v: r.coordinationNumber.expectedValue, sd: r.coordinationNumber.std },
  dist: (r) => r.firstShellDistance && { v: r.firstShellDistance.mean, sd: r.firstShellDistance.std },
};
