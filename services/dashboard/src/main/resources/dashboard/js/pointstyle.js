// How a point is drawn and how its trust reads as text, decided in one place: from the answer's trust verdict
// (TRUSTED / UNCERTAIN / OUT_OF_DISTRIBUTION, InferenceResult v3) when the result carries one; for older results
// from the model's out-of-distribution flag for the task (per task through oodByTask, else the overall flag).
export const STYLES = {
  trusted: { label: 'trusted', stroke: '#1f6feb', fill: '#1f6feb' },
  uncertain: { label: 'uncertain', stroke: '#d29922', fill: '#ffffff' },
  ood: { label: 'out of distribution', stroke: '#d1242f', fill: '#ffffff' },
};

const BY_VERDICT = { TRUSTED: 'trusted', UNCERTAIN: 'uncertain', OUT_OF_DISTRIBUTION: 'ood' };

// verdict: the estimate's own (null or undefined for a result without verdicts). A symbol this page does not know
// yet reads as uncertain, as the schema tells readers to do.
export function pointStyle(result, task, verdict) {
  if (verdict) return BY_VERDICT[verdict] || 'uncertain';
  const byTask = result.oodByTask && result.oodByTask[task];
  const flagged = byTask ? byTask.flagged : result.ood && result.ood.flagged;
  return flagged ? 'ood' : 'trusted';
}

// The verdict as a person reads it ('trusted', 'uncertain', 'out of distribution'); '' without one.
export function verdictText(estimate) {
  const v = estimate && estimate.verdict;
  return v ? STYLES[BY_VERDICT[v] || 'uncertain'].label : '';
}
