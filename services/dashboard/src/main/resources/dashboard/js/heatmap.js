// The pseudo-PDF over time as a heat map on a canvas: one column per result (oldest left), r upwards, colour = G2.
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

function colour(f) {
  const x = Math.min(1, Math.max(0, f)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const t = x - i;
  return RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * t));
}

export function drawHeatmap(canvas, caption, results) {
  const withPdf = results.filter((r) => r.pdf && r.pdf.mean && r.pdf.mean.length);
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!withPdf.length) {
    caption.textContent = 'no pseudo-PDF from this sample\u2019s models';
    return;
  }
  const rows = withPdf[withPdf.length - 1].pdf.mean.length;
  const cols = withPdf.length;
  let max = 0;
  for (const r of withPdf) for (const v of r.pdf.mean) max = Math.max(max, v);
  const image = ctx.createImageData(cols, rows);
  withPdf.forEach((r, c) => {
    for (let k = 0; k < rows; k++) {
      const [red, green, blue] = colour(max > 0 ? (r.pdf.mean[k] || 0) / max : 0);
      const p = ((rows - 1 - k) * cols + c) * 4;
      image.data[p] = red;
      image.data[p + 1] = green;
      image.data[p + 2] = blue;
      image.data[p + 3] = 255;
    }
  });
  // draw at data resolution on a scratch canvas, then scale to the visible one
  const scratch = document.createElement('canvas');
  scratch.width = cols;
  scratch.height = rows;
  scratch.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  const r = withPdf[withPdf.length - 1].pdf.r;
  caption.textContent = `pseudo-PDF of ${cols} spectra over time (left: ${new Date(withPdf[0].t).toLocaleTimeString()}, `
    + `right: ${new Date(withPdf[cols - 1].t).toLocaleTimeString()}); r from ${r[0].toFixed(2)} Å (bottom) to `
    + `${r[r.length - 1].toFixed(2)} Å (top); brightest = ${max.toFixed(3)}`;
}
