// A uPlot plugin that draws every alert as a dashed vertical line (x in the chart's own x units) and tells how many
// it drew in the chart element's data-alerts attribute.
export function markersPlugin(getMarkers) {
  return {
    hooks: {
      draw: (u) => {
        const xs = getMarkers();
        const ctx = u.ctx;
        const { left, top, width, height } = u.bbox;
        let drawn = 0;
        ctx.save();
        ctx.strokeStyle = '#d1242f';
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        for (const x of xs) {
          const px = u.valToPos(x, 'x', true);
          if (!Number.isFinite(px) || px < left || px > left + width) continue;
          ctx.beginPath();
          ctx.moveTo(px, top);
          ctx.lineTo(px, top + height);
          ctx.stroke();
          drawn++;
        }
        ctx.restore();
        u.root.parentElement.dataset.alerts = String(drawn);
      },
    },
  };
}
