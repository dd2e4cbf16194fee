import { Injectable } from '@nestjs/common';
import { InvalidError, NotFoundError, type FieldError } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { CreatedEvaluationDto, EvaluationDto, WorkloadDto } from './workloads.responses.js';
import type { AnnotateWorkloadDto, CreateEvaluationDto } from './workloads.dto.js';
import { WorkloadsRepository } from './workloads.repository.js';

type WorkloadRow = NonNullable<Awaited<ReturnType<WorkloadsRepository['find']>>>;
type EvaluationRow = Awaited<ReturnType<WorkloadsRepository['evaluations']>>[number];

const ANNOTATION_KEYS = ['taskCategory', 'qualityRequirement', 'latencyTargetP95Ms', 'latencyTolerance', 'dataSensitivity', 'dataResidency', 'residency', 'needsCustomisation', 'ownerTeam'] as const;
const METRIC_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,40}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);

function view(w: WorkloadRow): WorkloadDto {
  return { slug: w.slug, name: w.name, description: w.description, annotations: w.annotations as WorkloadDto['annotations'], createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString() };
}

function evaluationView(e: EvaluationRow): EvaluationDto {
  return { id: e.id, candidateModel: e.candidateModel, baselineModel: e.baselineModel, sampleSize: e.sampleSize, metrics: e.metrics as unknown as EvaluationDto['metrics'], createdAt: e.createdAt.toISOString() };
}

/** Scores are 0..1, 1 to 20 named metrics per side; every bad one is named. */
function metricErrors(metrics: CreateEvaluationDto['metrics']): FieldError[] {
  const bad: FieldError[] = [];
  for (const side of ['candidate', 'baseline'] as const) {
    const entries = Object.entries(metrics[side] ?? {});
    if (!entries.length || entries.length > 20) bad.push({ field: `metrics.${side}`, message: 'must hold 1 to 20 metrics' });
    for (const [k, v] of entries) {
      if (!METRIC_NAME.test(k)) bad.push({ field: `metrics.${side}.${k}`, message: 'metric names are letters, digits and underscores' });
      else if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad.push({ field: `metrics.${side}.${k}`, message: 'must be a number from 0 to 1' });
    }
  }
  return bad;
}

export interface WorkloadHints {
  latencyTargetP95Ms?: number;
  latencyTolerance?: 'interactive' | 'batch';
}

/** The annotations the economics engine uses (the rest are the planner's). */
export function hintsFrom(annotations: unknown): WorkloadHints {
  const a = (annotations ?? {}) as Record<string, unknown>;
  return {
    ...(typeof a.latencyTargetP95Ms === 'number' && a.latencyTargetP95Ms > 0 ? { latencyTargetP95Ms: a.latencyTargetP95Ms } : {}),
    ...(a.latencyTolerance === 'batch' || a.latencyTolerance === 'interactive' ? { latencyTolerance: a.latencyTolerance } : {}),
  };
}

/** Workloads (registered by events), the annotations people add and their offline evaluations. */
@Injectable()
export class WorkloadsService {
  constructor(private readonly repo: WorkloadsRepository) {}

  /** A page of the org's workloads by slug. */
  async list(orgId: string, limit = 100, cursor?: string): Promise<Page<WorkloadDto>> {
    const after = decodeCursor<{ slug?: unknown }>(cursor);
    if (after && typeof after.slug !== 'string') throw badCursor();
    const page = toPage(await this.repo.listPage(orgId, limit, after?.slug as string | undefined), limit, (w) => ({ slug: w.slug }));
    return { data: page.data.map(view), nextCursor: page.nextCursor };
  }

  async get(orgId: string, slug: string): Promise<WorkloadDto> {
    return view(await this.find(orgId, slug));
  }

  async annotate(orgId: string, slug: string, b: AnnotateWorkloadDto): Promise<WorkloadDto> {
    const w = await this.find(orgId, slug);
    const annotations = { ...(w.annotations as Record<string, unknown>) };
    // null clears an annotation (absent from the answer again); undefined leaves it as it was.
    for (const k of ANNOTATION_KEYS) {
      if (b[k] === null) delete annotations[k];
      else if (b[k] !== undefined) annotations[k] = b[k];
    }
    return view(await this.repo.update(orgId, slug, { name: b.name, description: b.description, annotations }));
  }

  async addEvaluation(orgId: string, slug: string, b: CreateEvaluationDto): Promise<CreatedEvaluationDto> {
    await this.find(orgId, slug);
    const bad = metricErrors(b.metrics);
    if (bad.length) throw new InvalidError(`Invalid request: ${bad.map((x) => x.field).join(', ')}`, bad);
    const e = await this.repo.addEvaluation(orgId, { workload: slug, ...b, metrics: b.metrics });
    return { id: e.id, workload: slug, candidateModel: e.candidateModel, baselineModel: e.baselineModel, sampleSize: e.sampleSize, metrics: e.metrics as unknown as EvaluationDto['metrics'], createdAt: e.createdAt.toISOString() };
  }

  /** A page of the workload's evaluations, newest first. */
  async evaluations(orgId: string, slug: string, limit = 100, cursor?: string): Promise<Page<EvaluationDto>> {
    await this.find(orgId, slug);
    const after = decodeCursor<{ at: string; id: string }>(cursor);
    // The id is compared with a uuid column: anything else cannot have come from this API.
    if (after && (typeof after.at !== 'string' || typeof after.id !== 'string' || !UUID.test(after.id))) throw badCursor();
    const page = toPage(await this.repo.evaluationsPage(orgId, slug, limit, after), limit, (e) => ({ at: e.createdAt.toISOString(), id: e.id }));
    return { data: page.data.map(evaluationView), nextCursor: page.nextCursor };
  }

  /** What the economics engine reads from a workload's annotations: its latency target (ms) and whether it tolerates batch latency. */
  async economicsHints(orgId: string, slug: string): Promise<WorkloadHints> {
    return hintsFrom((await this.find(orgId, slug)).annotations);
  }

  private async find(orgId: string, slug: string): Promise<WorkloadRow> {
    const w = await this.repo.find(orgId, slug);
    if (!w) throw new NotFoundError(`Workload ${slug} not found`);
    return w;
  }
}
