import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { AnnotateWorkloadDto, CreateEvaluationDto, PlanQueryDto } from './workloads.dto.js';
import { WorkloadEconomicsQueryDto } from '../economics/economics.dto.js';
import { EconomicsService } from '../economics/economics.service.js';
import { PlannerService } from './planner.service.js';
import { WorkloadsService } from './workloads.service.js';

@ApiTags('planner')
@ApiBearerAuth()
@Controller('v1')
export class WorkloadsController {
  constructor(
    private readonly workloads: WorkloadsService,
    private readonly planner: PlannerService,
    private readonly economics: EconomicsService,
  ) {}

  @Get('workloads/:slug/economics')
  @ApiTags('economics')
  @Requires('read')
  @ApiOperation({
    summary:
      "The estimate fed by the workload's real hourly usage (window, default 28 days) and its annotations (latency target, batch tolerance), with current spend and sensitivity; served from the last snapshot (asOf) unless refresh=true",
  })
  async economicsOf(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: WorkloadEconomicsQueryDto) {
    const windowDays = Number((q.window ?? '28d').slice(0, -1));
    const hints = await this.workloads.economicsHints(p.orgId, slug);
    return this.economics.workloadEconomicsSnapshot(p.orgId, slug, { windowDays, openModels: q.openModels, hints }, q.refresh === 'true');
  }

  @Get('workloads')
  @Requires('read')
  @ApiOperation({ summary: 'Workloads (registered on first use by events) with their annotations' })
  async list(@CurrentPrincipal() p: Principal) {
    return { data: await this.workloads.list(p.orgId) };
  }

  @Get('workloads/:slug')
  @Requires('read')
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    return this.workloads.get(p.orgId, slug);
  }

  @Patch('workloads/:slug')
  @Requires('annotate')
  @ApiOperation({ summary: 'Describe a workload for the planner (engineers and up): task category, quality requirement, latency target, data sensitivity and residency, customisation need, owner team' })
  async annotate(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: AnnotateWorkloadDto) {
    return this.workloads.annotate(p.orgId, slug, b);
  }

  @Post('workloads/:slug/evaluations')
  @Requires('annotate')
  @ApiOperation({ summary: 'Record an offline evaluation of a candidate model against the baseline on your own samples (scores 0..1)' })
  async addEvaluation(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: CreateEvaluationDto) {
    return this.workloads.addEvaluation(p.orgId, slug, b);
  }

  @Get('workloads/:slug/evaluations')
  @Requires('read')
  async evaluations(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    return this.workloads.evaluations(p.orgId, slug);
  }

  @Get('settings/planner')
  @Requires('read')
  @ApiOperation({ summary: "The planner settings in force (defaults merged with your overrides): savings floors, payback limit, required metrics, evaluation tolerance and sample size, stability, approved processors for regulated data, evaluation pass probability" })
  getPlannerSettings(@CurrentPrincipal() p: Principal) {
    return this.planner.getSettings(p.orgId);
  }

  @Patch('settings/planner')
  @Requires('admin')
  @ApiOperation({
    summary: 'Override planner settings (admin, owner): e.g. {"approvedProcessors": ["OpenAI"], "evaluationPassProbability": 0.6, "managedSavingsFloorUsd": "500", "requiredMetrics": ["accuracy", "faithfulness"]}; null removes an override',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  patchPlannerSettings(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.planner.patchSettings(p.orgId, body);
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
