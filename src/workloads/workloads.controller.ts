import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-contract.js';
import { ETagged, Idempotent } from '../infra/http/conventions.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { refuseUnsafeBody } from '../common/validation.js';
import { AnnotateWorkloadDto, CreateEvaluationDto, PlanQueryDto } from './workloads.dto.js';
import { CreatedEvaluationDto, EvaluationDto, OrganisationFleetsDto, PendingEvaluationDto, PlanCandidateDto, WorkloadFleetDto, PatchPlannerSettingsDto, PlanDto, PlannerSettingsDto, WorkloadDto, WorkloadEconomicsDto, WorkloadPlanAnswerDto } from './workloads.responses.js';
import { WorkloadEconomicsQueryDto } from '../economics/economics.dto.js';
import { EconomicsService } from '../economics/economics.service.js';
import { PlannerService } from './planner.service.js';
import { WorkloadsService } from './workloads.service.js';

@ApiTags('planner')
@ApiBearerAuth()
// Referenced only through anyOf (nullable), which the scanner does not follow.
@ApiExtraModels(PlanCandidateDto, PendingEvaluationDto, WorkloadFleetDto, OrganisationFleetsDto)
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
  @ETagged()
  @ApiOkResponse({ type: WorkloadEconomicsDto })
  async economicsOf(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: WorkloadEconomicsQueryDto): Promise<WorkloadEconomicsDto> {
    const windowDays = Number((q.window ?? '28d').slice(0, -1));
    const hints = await this.workloads.economicsHints(p.orgId, slug);
    return (await this.economics.workloadEconomicsSnapshot(p.orgId, slug, { windowDays, openModels: q.openModels, hints }, q.refresh === 'true')) as unknown as WorkloadEconomicsDto;
  }

  @Get('workloads')
  @Requires('read')
  @ApiOperation({ summary: 'Workloads (registered on first use by events) with their annotations, by slug' })
  @ApiPageResponse(WorkloadDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<WorkloadDto>> {
    return this.workloads.list(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Get('workloads/:slug')
  @Requires('read')
  @ApiOperation({ summary: 'One workload with its annotations' })
  @ApiOkResponse({ type: WorkloadDto })
  get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string): Promise<WorkloadDto> {
    return this.workloads.get(p.orgId, slug);
  }

  @Patch('workloads/:slug')
  @Requires('annotate')
  @ApiOperation({
    summary: 'Describe a workload for the planner (engineers and up): task category, quality requirement, latency target, data sensitivity and residency, customisation need, owner team',
    description: 'Fields left out keep their value; an annotation sent as null is cleared.',
  })
  @ApiOkResponse({ type: WorkloadDto })
  annotate(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: AnnotateWorkloadDto): Promise<WorkloadDto> {
    return this.workloads.annotate(p.orgId, slug, b);
  }

  @Post('workloads/:slug/evaluations')
  @Requires('annotate')
  @ApiOperation({ summary: 'Record an offline evaluation of a candidate model against the baseline on your own samples (scores 0..1)' })
  @Idempotent()
  @ApiCreatedResponse({ type: CreatedEvaluationDto })
  addEvaluation(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() b: CreateEvaluationDto): Promise<CreatedEvaluationDto> {
    return this.workloads.addEvaluation(p.orgId, slug, b);
  }

  @Get('workloads/:slug/evaluations')
  @Requires('read')
  @ApiOperation({ summary: "The workload's offline evaluations, newest first" })
  @ApiPageResponse(EvaluationDto)
  evaluations(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: PageQueryDto): Promise<Page<EvaluationDto>> {
    return this.workloads.evaluations(p.orgId, slug, q.limit ?? 100, q.cursor);
  }

  @Get('settings/planner')
  @Requires('read')
  @ApiOperation({ summary: "The planner settings in force (defaults merged with your overrides): savings floors, payback limit, required metrics, evaluation tolerance and sample size, stability, approved processors for regulated data, evaluation pass probability" })
  @ApiOkResponse({ type: PlannerSettingsDto })
  getPlannerSettings(@CurrentPrincipal() p: Principal): Promise<PlannerSettingsDto> {
    return this.planner.getSettings(p.orgId) as Promise<PlannerSettingsDto>;
  }

  @Patch('settings/planner')
  @Requires('admin')
  @ApiOperation({
    summary: 'Override planner settings (admin, owner): e.g. {"approvedProcessors": ["OpenAI"], "evaluationPassProbability": 0.6, "managedSavingsFloorUsd": "500", "requiredMetrics": ["accuracy", "faithfulness"]}; null removes an override',
  })
  // Validated by the planner's own rules (null removes an override), so the body stays untyped for the validation pipe.
  @ApiBody({ type: PatchPlannerSettingsDto })
  @ApiOkResponse({ type: PlannerSettingsDto })
  patchPlannerSettings(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<PlannerSettingsDto> {
    refuseUnsafeBody(body);
    return this.planner.patchSettings(p.orgId, body) as Promise<PlannerSettingsDto>;
  }

  @Get('plan')
  @Requires('read')
  @ApiOperation({ summary: 'The migration roadmap: per workload stay closed / cheaper closed / managed open / pilot self-host / self-host, with savings, break-even, gates, risks and next steps; phases, portfolio before/after and 12-month cumulative savings. Served from the last snapshot (asOf) unless refresh=true or an input changed since' })
  @ETagged()
  @ApiOkResponse({ type: PlanDto })
  plan(@CurrentPrincipal() p: Principal, @Query() q: PlanQueryDto): Promise<PlanDto> {
    return this.planner.plan(p.orgId, q.refresh === 'true') as Promise<PlanDto>;
  }

  @Get('workloads/:slug/plan')
  @Requires('read')
  @ApiOperation({ summary: "One workload's recommendation from the roadmap", description: '404 too when the workload has no usage in the last 28 days to plan from.' })
  @ETagged()
  @ApiOkResponse({ type: WorkloadPlanAnswerDto })
  workloadPlan(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() q: PlanQueryDto): Promise<WorkloadPlanAnswerDto> {
    return this.planner.workloadPlan(p.orgId, slug, q.refresh === 'true') as Promise<WorkloadPlanAnswerDto>;
  }
}
