// How a point is drawn, decided in one place: today from the model's out-of-distribution flag for the task (per task
// through oodByTask, else the overall flag); a per-task trust verdict on the estimate (TRUSTED / UNCERTAIN /
// OUT_OF_DISTRIBUTION), when results carry one, takes precedence.
export const STYLES = {
  trusted: { label: 'trusted', stroke: '#1f6feb', fill: '#1f6feb' },
  uncertain: { label: 'uncertain', stroke: '#d29922', fill: '#ffffff' },
  ood: { label: 'out of distribution', stroke: '#d1242f', fill: '#ffffff' },
};

const ESTIMATE = { oxidation_state: 'oxidationState', coordination_number: 'coordinationNumber', pdf: 'pdf' };

export function pointStyle(result, task) {
  const estimate = result[ESTIMATE[task]];
  const verdict = estimate && estimate.verdict;
  if (verdict) {
    return verdict === 'TRUSTED' ? 'trusted' : verdict === 'UNCERTAIN' ? 'uncertain' : 'ood';
  }
  const byTask = result.oodByTask && result.oodByTask[task];
  const flagged = byTask ? byTask.flagged : result.ood && result.ood.flagged;
  return flagged ? 'ood' : 'trusted';
}
