import { errorText, routeMissing, type ApiClient } from '../api-client.js';
import { DEMO_EVALUATIONS, DEMO_WORKLOADS, type DemoEvaluation } from '../generator.js';

/** Applies each workload's description and planner annotations (idempotent: PATCH). */
async function annotateWorkloads(api: ApiClient): Promise<void> {
  let annotated = 0;
  for (const w of DEMO_WORKLOADS) {
    const r = await api.PATCH('/v1/workloads/{slug}', { params: { path: { slug: w.slug } }, body: { description: w.description, ...w.annotations } });
    if (routeMissing(r)) {
      console.log('  note: PATCH /v1/workloads/:slug is not available in this build; workload annotations skipped');
      break;
    }
    if (r.error === undefined) annotated++;
    else console.log(`  ! ${w.slug} not annotated: ${errorText(r)}`);
  }
  if (annotated) console.log(`  annotated ${annotated}/${DEMO_WORKLOADS.length} workloads (task, quality bar, latency target, sensitivity, owner)`);
}

/** Records one evaluation unless the same candidate/baseline pair is already there; false when the route is missing. */
async function recordEvaluation(api: ApiClient, ev: DemoEvaluation): Promise<boolean> {
  const params = { path: { slug: ev.workload } };
  const existing = await api.GET('/v1/workloads/{slug}/evaluations', { params });
  const items = existing.data?.data ?? [];
  if (items.some((x) => x.candidateModel === ev.candidateModel && x.baselineModel === ev.baselineModel)) {
    console.log(`  evaluation ${ev.workload}: ${ev.candidateModel} vs ${ev.baselineModel} already recorded`);
    return true;
  }
  const { workload: _w, ...body } = ev;
  const r = await api.POST('/v1/workloads/{slug}/evaluations', { params, body });
  if (routeMissing(r)) {
    console.log('  note: POST /v1/workloads/:slug/evaluations is not available in this build; evaluations skipped');
    return false;
  }
  if (!r.data) {
    console.log(`  ! evaluation ${ev.workload} not recorded: ${errorText(r)}`);
    return true;
  }
  console.log(`  evaluation ${ev.workload}: ${r.data.candidateModel} vs ${r.data.baselineModel}, accuracy ${ev.metrics.candidate.accuracy} vs ${ev.metrics.baseline.accuracy} on ${r.data.sampleSize} samples`);
  return true;
}

/** Workload annotations and the offline evaluations the planner's quality gates read. */
export async function annotateAndEvaluate(api: ApiClient): Promise<void> {
  await annotateWorkloads(api);
  for (const ev of DEMO_EVALUATIONS) if (!(await recordEvaluation(api, ev))) break;
}
