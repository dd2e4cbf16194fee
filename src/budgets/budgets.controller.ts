import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../infra/http/conventions.js';
import { PageQueryDto } from '../common/pagination.js';
import { ApiBudgetPageResponse, BudgetDecisionDto, BudgetDetailDto, BudgetScopeTagDto } from './budgets.responses.js';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, NotEquals, ValidateNested } from 'class-validator';
import { CurrentPrincipal, DecideRateLimit, Requires } from '../common/decorators.js';
import { InvalidError, type FieldError } from '../common/errors.js';
import type { Principal } from '../common/principal.js';
import { SLUG_PATTERN, uuid404 } from '../common/formats.js';
import { IsNotNullWhenPresent } from '../common/validation.js';
import { BudgetDecisionService } from './budget-decision.service.js';
import { BUDGET_WINDOWS, type BudgetWindow } from '../domain/budget/rules.js';
import { BudgetsService, type BudgetInput } from './budgets.service.js';
import { MAX_BUDGETS_PER_ORG } from './budgets.repository.js';

/** What attribution rollups fold customers beyond their cap into (src/ingestion/event-validator.ts refuses it as a customer). */
const OTHER_CUSTOMERS = '(other)';
// A zero limit would alert at $0 on the first cent: at least one non-zero digit.
const LIMIT_PATTERN = /^(?=[\d.]*[1-9])\d{1,12}(\.\d{1,6})?$/;
/** Tag pairs a decision request may name, and the longest `tags` parameter. */
const MAX_DECISION_TAGS = 32;
const MAX_TAGS_PARAM = 4_096;

export class BudgetTagDto {
  @ApiProperty({ example: 'team', description: '1-64 characters' }) @IsString() @Length(1, 64) key: string;
  @ApiProperty({ example: 'growth', description: '1-256 characters' }) @IsString() @Length(1, 256) value: string;
}

export class BudgetScopeDto {
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'openai' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'provider must be a provider name' }) provider?: string;
  @ApiPropertyOptional({ example: 'acme-corp', description: "The org's own customer id as events send it (1-256 characters); not with `tag`" })
  @IsOptional() @IsString() @Length(1, 256) @NotEquals(OTHER_CUSTOMERS, { message: `customer "${OTHER_CUSTOMERS}" is reserved for the customers beyond the rollups' cap` })
  customer?: string;
  @ApiPropertyOptional({ type: BudgetTagDto, description: 'One tag of the events (key=value); not with `customer`' })
  @IsOptional() @ValidateNested() @Type(() => BudgetTagDto) tag?: BudgetTagDto;
}

const WINDOW_DOC = "month: the calendar month in the org's time zone; 24h, 7d, 30d: rolling, ending with the current hour";

export class CreateBudgetDto {
  @ApiProperty({ example: 'OpenAI monthly' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ type: BudgetScopeDto, description: 'Empty or absent: the whole organisation' })
  @IsOptional() @ValidateNested() @Type(() => BudgetScopeDto) scope?: BudgetScopeDto;
  @ApiPropertyOptional({ enum: BUDGET_WINDOWS, enumName: 'BudgetWindow', default: 'month', example: 'month', description: WINDOW_DOC }) @IsOptional() @IsIn(BUDGET_WINDOWS) window?: BudgetWindow;
  @ApiPropertyOptional({ default: false, example: true, description: 'Hard budgets make the decision endpoint deny once spent; soft ones only alert' }) @IsOptional() @IsBoolean() hard?: boolean;
  @ApiPropertyOptional({ example: '2000', pattern: LIMIT_PATTERN.source, description: 'USD per window, decimal string (this or monthlyLimitUsd)' })
  // null is refused by name (IsOptional would let it through as "absent" to the alias check).
  @IsNotNullWhenPresent() @Matches(LIMIT_PATTERN, { message: 'limitUsd must be a positive decimal string' }) limitUsd?: string;
  @ApiPropertyOptional({ example: '2000', pattern: LIMIT_PATTERN.source, deprecated: true, description: 'Deprecated alias of limitUsd' })
  @IsNotNullWhenPresent() @Matches(LIMIT_PATTERN, { message: 'monthlyLimitUsd must be a positive decimal string' }) monthlyLimitUsd?: string;
  @ApiProperty({ type: 'integer', isArray: true, minimum: 1, maximum: 1000, example: [50, 80, 100], description: 'Percent of the limit (1 to 10 of them); an alert once per threshold and period' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(1000, { each: true }) thresholds: number[];
}

/** Every field optional, but none may be null: PartialType's IsOptional would let null through to the service. */
export class UpdateBudgetDto {
  @ApiPropertyOptional({ example: 'OpenAI monthly' }) @IsNotNullWhenPresent() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: BudgetScopeDto, description: 'Replaces the whole scope' }) @IsNotNullWhenPresent() @ValidateNested() @Type(() => BudgetScopeDto) scope?: BudgetScopeDto;
  @ApiPropertyOptional({ enum: BUDGET_WINDOWS, enumName: 'BudgetWindow', example: '30d', description: WINDOW_DOC }) @IsNotNullWhenPresent() @IsIn(BUDGET_WINDOWS) window?: BudgetWindow;
  @ApiPropertyOptional({ example: true }) @IsNotNullWhenPresent() @IsBoolean() hard?: boolean;
  @ApiPropertyOptional({ example: '2500', pattern: LIMIT_PATTERN.source }) @IsNotNullWhenPresent() @Matches(LIMIT_PATTERN, { message: 'limitUsd must be a positive decimal string' }) limitUsd?: string;
  @ApiPropertyOptional({ example: '2500', pattern: LIMIT_PATTERN.source, deprecated: true }) @IsNotNullWhenPresent() @Matches(LIMIT_PATTERN, { message: 'monthlyLimitUsd must be a positive decimal string' }) monthlyLimitUsd?: string;
  @ApiPropertyOptional({ type: 'integer', isArray: true, minimum: 1, maximum: 1000, example: [50, 80, 100] })
  @IsNotNullWhenPresent() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(1000, { each: true })
  thresholds?: number[];
}

export class DecisionQueryDto {
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional({ example: 'acme-corp' }) @IsOptional() @IsString() @Length(1, 256) customer?: string;
  @ApiPropertyOptional({ example: 'support-chat' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional({ example: 'openai' }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'provider must be a provider name' }) provider?: string;
  @ApiPropertyOptional({ example: 'team:growth,env:prod', description: `key:value pairs, comma-separated (at most ${MAX_DECISION_TAGS}; key 1-64, value 1-256 characters; neither may contain a comma, the key no colon)` })
  @IsOptional() @IsString() @MaxLength(MAX_TAGS_PARAM) tags?: string;
}

/** `team:growth,env:prod` → { team: 'growth', env: 'prod' }; a bad pair is a 400 naming `tags`. */
export function parseDecisionTags(raw: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  if (raw === undefined || raw === '') return tags;
  const pairs = raw.split(',');
  const bad = (message: string): never => {
    throw new InvalidError('Invalid request: tags', [{ field: 'tags', message } satisfies FieldError]);
  };
  if (pairs.length > MAX_DECISION_TAGS) bad(`at most ${MAX_DECISION_TAGS} key:value pairs`);
  for (const p of pairs) {
    const i = p.indexOf(':');
    const k = i < 0 ? '' : p.slice(0, i);
    const v = i < 0 ? '' : p.slice(i + 1);
    if (k.length < 1 || k.length > 64 || v.length < 1 || v.length > 256) bad('must be key:value pairs separated by commas (key 1-64, value 1-256 characters)');
    if (Object.prototype.hasOwnProperty.call(tags, k)) bad(`names tag "${k.slice(0, 64)}" twice`);
    tags[k] = v;
  }
  return tags;
}

/** limitUsd, or its deprecated alias monthlyLimitUsd; both at once is a 400 naming both. */
function limitOf(b: { limitUsd?: string; monthlyLimitUsd?: string }, required: boolean): string | undefined {
  if (b.limitUsd !== undefined && b.monthlyLimitUsd !== undefined) {
    throw new InvalidError('Invalid request: limitUsd', [
      { field: 'limitUsd', message: 'send limitUsd or its deprecated alias monthlyLimitUsd, not both' },
      { field: 'monthlyLimitUsd', message: 'send limitUsd or its deprecated alias monthlyLimitUsd, not both' },
    ]);
  }
  const limit = b.limitUsd ?? b.monthlyLimitUsd;
  if (required && limit === undefined) throw new InvalidError('Invalid request: limitUsd', [{ field: 'limitUsd', message: 'is required (USD per window, decimal string)' }]);
  return limit;
}

@ApiTags('budgets')
@ApiBearerAuth()
// BudgetScopeTagDto: referenced from the scope's nullable tag branch, which registers no model itself.
@ApiExtraModels(BudgetScopeTagDto)
@Controller('v1')
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly decisions: BudgetDecisionService,
  ) {}

  @Get('budgets/decision')
  @Requires('decide')
  @DecideRateLimit()
  @ApiOperation({
    summary: 'Whether a gateway may forward a request: every budget the request falls under, its spend (rollups plus ingest-time counters) and allow=false when a hard one is spent (decide scope)',
  })
  @ApiOkResponse({ type: BudgetDecisionDto })
  decide(@CurrentPrincipal() p: Principal, @Query() q: DecisionQueryDto) {
    return this.decisions.decide(p.orgId, { workload: q.workload, customer: q.customer, project: q.project, provider: q.provider, tags: parseDecisionTags(q.tags) });
  }

  @Post('budgets')
  @Requires('finance')
  @Idempotent()
  @ApiOperation({
    summary: 'Create a budget: scope, window (org-tz month or rolling), soft or hard, limit and alert thresholds',
    description: `At most ${MAX_BUDGETS_PER_ORG} per organisation (409 beyond). Finance, admin or owner.`,
  })
  @ApiCreatedResponse({ type: BudgetDetailDto })
  async create(@CurrentPrincipal() p: Principal, @Body() b: CreateBudgetDto) {
    const input: BudgetInput = { name: b.name, scope: b.scope, window: b.window ?? 'month', hard: b.hard ?? false, limitUsd: limitOf(b, true)!, thresholds: b.thresholds };
    return this.budgets.create(p.orgId, input);
  }

  @Get('budgets')
  @Requires('read')
  @ApiOperation({ summary: 'Budgets with their spend in the current window and percent used, oldest first' })
  @ApiBudgetPageResponse()
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto) {
    return this.budgets.list(p.orgId, new Date(), { limit: q.limit ?? MAX_BUDGETS_PER_ORG, cursor: q.cursor });
  }

  @Get('budgets/:id')
  @Requires('read')
  @ApiOperation({ summary: 'One budget with its spend in the current window' })
  @ApiOkResponse({ type: BudgetDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    return this.budgets.get(p.orgId, id);
  }

  @Patch('budgets/:id')
  @Requires('finance')
  @ApiOperation({ summary: 'Change a budget (a scope given replaces the whole scope)' })
  @ApiOkResponse({ type: BudgetDetailDto })
  async update(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Body() b: UpdateBudgetDto) {
    const { monthlyLimitUsd: _alias, limitUsd: _limit, ...rest } = b;
    const limit = limitOf(b, false);
    return this.budgets.update(p.orgId, id, { ...rest, ...(limit !== undefined ? { limitUsd: limit } : {}) });
  }

  @Delete('budgets/:id')
  @HttpCode(204)
  @Requires('finance')
  @ApiOperation({ summary: 'Delete a budget (its alerts stay)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.budgets.remove(p.orgId, id);
  }
}
