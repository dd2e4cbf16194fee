import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { InvalidError, NotFoundError } from '../common/errors.js';
import { AnnotateWorkloadDto, CreateEvaluationDto, PlanQueryDto } from './workloads.dto.js';
import { PlannerService } from './planner.service.js';
import { WorkloadsRepository } from './workloads.repository.js';

type WorkloadRow = NonNullable<Awaited<ReturnType<WorkloadsRepository['find']>>>;
const view = (w: WorkloadRow) => ({
  slug: w.slug,
  name: w.name,
  description: w.description,
  annotations: w.annotations,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});
const ANNOTATION_KEYS = ['taskCategory', 'qualityRequirement', 'latencyTargetP95Ms', 'dataSensitivity', 'residency', 'needsCustomisation', 'ownerTeam'] as const;

@ApiTags('planner')
@ApiBearerAuth()
@Controller('v1')
export class WorkloadsController {
  constructor(
    private readonly workloads: WorkloadsRepository,
    private readonly planner: PlannerService,
  ) {}

  @Get('workloads')
  @Requires('read')
  @ApiOperation({ summary: 'Workloads (registered on first use by events) with their annotations' })
  async list(@CurrentPrincipal() p: Principal) {
    return { data: (await this.workloads.list(p.orgId)).map(view) };
  }

  @Get('workloads/:slug')
  @Requires('read')
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    const w = await this.workloads.find(p.orgId, slug);
    if (!w) throw new NotFoundError(`Workload ${slug} not found`);
    return view(w);
  }

  @Patch('workloads/:slug')
  @Requires('annotate')
  @ApiOperation({ summary: 'Describe a workload for the planner (engineers and up): task category, quality requirement, latency target, data sensitivity and residency, customisation need, owner team' })
  async annotate(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: AnnotateWorkloadDto) {
    const w = await this.workloads.find(p.orgId, slug);
    if (!w) throw new NotFoundError(`Workload ${slug} not found`);
    const annotations = { ...(w.annotations as Record<string, unknown>) };
    for (const k of ANNOTATION_KEYS) if (b[k] !== undefined) annotations[k] = b[k];
    return view(await this.workloads.update(p.orgId, slug, { name: b.name, description: b.description, annotations }));
  }

  @Post('workloads/:slug/evaluations')
  @Requires('annotate')
  @ApiOperation({ summary: 'Record an offline evaluation of a candidate model against the baseline on your own samples (scores 0..1)' })
  async addEvaluation(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: CreateEvaluationDto) {
    if (!(await this.workloads.find(p.orgId, slug))) throw new NotFoundError(`Workload ${slug} not found`);
    const bad = [];
    for (const side of ['candidate', 'baseline'] as const) {
      const entries = Object.entries(b.metrics[side] ?? {});
      if (!entries.length || entries.length > 20) bad.push({ field: `metrics.${side}`, message: 'must hold 1 to 20 metrics' });
      for (const [k, v] of entries) {
        if (!/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/.test(k)) bad.push({ field: `metrics.${side}.${k}`, message: 'metric names are letters, digits and underscores' });
        else if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad.push({ field: `metrics.${side}.${k}`, message: 'must be a number from 0 to 1' });
      }
    }
    if (bad.length) throw new InvalidError(`Invalid request: ${bad.map((x) => x.field).join(', ')}`, bad);
    const e = await this.workloads.addEvaluation(p.orgId, { workload: slug, ...b, metrics: b.metrics });
    return { id: e.id, workload: slug, candidateModel: e.candidateModel, baselineModel: e.baselineModel, sampleSize: e.sampleSize, metrics: e.metrics, createdAt: e.createdAt.toISOString() };
  }

  @Get('workloads/:slug/evaluations')
  @Requires('read')
  async evaluations(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    if (!(await this.workloads.find(p.orgId, slug))) throw new NotFoundError(`Workload ${slug} not found`);
    const rows = await this.workloads.evaluations(p.orgId, slug);
    return { data: rows.map((e) => ({ id: e.id, candidateModel: e.candidateModel, baselineModel: e.baselineModel, sampleSize: e.sampleSize, metrics: e.metrics, createdAt: e.createdAt.toISOString() })) };
  }

  @Get('plan')
  @Requires('read')
  @ApiOperation({ summary: 'The migration roadmap: per workload stay closed / cheaper closed / managed open / pilot self-host / self-host, with savings, break-even, gates, risks and next steps; phases, portfolio before/after and 12-month cumulative savings. Served from the last snapshot (asOf) unless refresh=true or an input changed since' })
  plan(@CurrentPrincipal() p: Principal, @Query() q: PlanQueryDto) {
    return this.planner.plan(p.orgId, q.refresh === 'true');
  }

  @Get('workloads/:slug/plan')
  @Requires('read')
  @ApiOperation({ summary: "One workload's recommendation from the roadmap" })
  workloadPlan(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: PlanQueryDto) {
    return this.planner.workloadPlan(p.orgId, slug, q.refresh === 'true');
  }
}
