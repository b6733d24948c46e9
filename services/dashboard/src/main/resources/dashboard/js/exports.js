// CSV of what the charts show (the results in the current range) and PNG of one chart.
function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function cell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv(results, conditions, name) {
  const head = ['acquiredAt', 'spectrumId', ...conditions, 'oxidationState', 'oxidationStateStd', 'oxidationStateClass',
    'coordinationNumber', 'coordinationNumberStd', 'firstShellDistance', 'firstShellDistanceStd', 'oodFlagged'];
  const lines = [head.join(',')];
  for (const r of results) {
    const ox = r.oxidationState || {};
    const cn = r.coordinationNumber || {};
    const d = r.firstShellDistance || {};
    lines.push([new Date(r.t).toISOString(), r.spectrumId,
      ...conditions.map((c) => (r.conditions && r.conditions[c] ? r.conditions[c].value : '')),
      ox.expectedValue, ox.std, ox.predicted, cn.expectedValue, cn.std, d.mean, d.std, r.ood && r.ood.flagged]
      .map(cell).join(','));
  }
  download(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }), name);
}

export function exportPng(canvas, name) {
  if (canvas) canvas.toBlob((blob) => download(blob, name), 'image/png');
}
