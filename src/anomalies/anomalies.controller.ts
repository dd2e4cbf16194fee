import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-contract.js';
import type { Page } from '../common/pagination.js';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import { InvalidError } from '../common/errors.js';
import { PageQueryDto } from '../common/pagination.js';
import type { Principal } from '../common/principal.js';
import { ALERT_TYPES, AlertsService, type AlertType } from './alerts.service.js';
import { SCOPE_KINDS, type ScopeKind } from './anomalies.repository.js';
import { AnomaliesService, type AnomalyView } from './anomalies.service.js';
import { AnomalyBaselineDto, AnomalyDto, ApiAlertPageResponse } from './anomalies.responses.js';
import type { AlertView } from './alerts.service.js';

// PostgreSQL's timestamptz takes years 1 to 9999 here; a bound outside is a 400, never a 500.
const FIRST_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const END_MS = Date.UTC(9999, 11, 31);

export class AlertWindowDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00.000Z', description: 'Inclusive start (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00.000Z', description: 'Exclusive end (RFC 3339)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AlertsQueryDto extends AlertWindowDto {
  @ApiPropertyOptional({ enum: ALERT_TYPES, enumName: 'AlertType', example: 'anomaly', description: 'Only budget alerts or only spend anomalies (default both); from/to bound createdAt' })
  @IsOptional() @IsIn(ALERT_TYPES as unknown as string[], { message: `type must be one of ${ALERT_TYPES.join(', ')}` }) type?: AlertType;
}

export class AnomaliesQueryDto extends AlertWindowDto {
  @ApiPropertyOptional({ enum: SCOPE_KINDS, enumName: 'AnomalyScopeKind', example: 'workload', description: 'Only anomalies of this kind of scope; from/to bound the checked UTC day' })
  @IsOptional() @IsIn(SCOPE_KINDS as unknown as string[], { message: `scopeKind must be one of ${SCOPE_KINDS.join(', ')}` }) scopeKind?: ScopeKind;
}

/** from/to as Dates, or a 400 naming the field (out of range, or from not before to). */
function windowOf(q: AlertWindowDto): { from?: Date; to?: Date } {
  const parse = (field: 'from' | 'to', v: string | undefined) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    const ms = d.getTime();
    if (!Number.isFinite(ms) || ms < FIRST_MS || ms > END_MS) throw new InvalidError(`Invalid request: ${field}`, [{ field, message: 'must be a date-time between years 1 and 9999' }]);
    return d;
  };
  const from = parse('from', q.from);
  const to = parse('to', q.to);
  if (from && to && from >= to) throw new InvalidError('Invalid request: to', [{ field: 'to', message: 'must be after from' }]);
  return { from, to };
}

@ApiTags('alerts')
// AnomalyBaselineDto is referenced only where it may be null (ApiNullableRef in anomalies.responses.ts).
@ApiExtraModels(AnomalyBaselineDto)
@ApiBearerAuth()
@Controller('v1')
export class AnomaliesController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly anomalies: AnomaliesService,
  ) {}

  @Get('alerts')
  @Requires('read')
  @ApiAlertPageResponse()
  @ApiOperation({ summary: 'Budget alerts and spend anomalies, newest first', description: 'Budget alerts (type budget) and spend anomalies (type anomaly) in one list, by createdAt; cursor-paginated' })
  list(@CurrentPrincipal() p: Principal, @Query() q: AlertsQueryDto): Promise<Page<AlertView>> {
    return this.alerts.list(p.orgId, { type: q.type, ...windowOf(q), limit: q.limit ?? 100, cursor: q.cursor });
  }

  @Get('anomalies')
  @Requires('read')
  @ApiPageResponse(AnomalyDto)
  @ApiOperation({ summary: 'Spend anomalies, newest first', description: 'Per workload, customer and provider: observed spend vs the expected range, and the top contributors; cursor-paginated' })
  anomaliesList(@CurrentPrincipal() p: Principal, @Query() q: AnomaliesQueryDto): Promise<Page<AnomalyView>> {
    return this.anomalies.list(p.orgId, { ...windowOf(q), scopeKind: q.scopeKind, limit: q.limit ?? 100, cursor: q.cursor });
  }
}
