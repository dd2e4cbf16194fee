import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { SLUG_PATTERN, uuid404 } from '../common/formats.js';
import { PageQueryDto } from '../common/pagination.js';
import { IsNotNullWhenPresent } from '../common/validation.js';
import { BudgetsService } from './budgets.service.js';


export class BudgetScopeDto {
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG_PATTERN, { message: 'project must be a slug' }) project?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG_PATTERN, { message: 'workload must be a slug' }) workload?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG_PATTERN, { message: 'provider must be a provider name' }) provider?: string;
}

export class CreateBudgetDto {
  @ApiProperty({ example: 'OpenAI monthly' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: BudgetScopeDto, description: 'Empty scope: the whole organisation' }) @ValidateNested() @Type(() => BudgetScopeDto) scope: BudgetScopeDto;
  @ApiProperty({ example: '5000', description: 'USD per calendar month (UTC), decimal string' })
  // A zero limit would alert at $0 on the first cent: at least one non-zero digit.
  @Matches(/^(?=[\d.]*[1-9])\d{1,12}(\.\d{1,6})?$/, { message: 'monthlyLimitUsd must be a positive decimal string' }) monthlyLimitUsd: string;
  @ApiProperty({ example: [50, 80, 100], description: 'Percent of the limit; an alert once per threshold and month' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(1000, { each: true }) thresholds: number[];
}

/** Every field optional, but none may be null: PartialType's IsOptional would let null through to the service. */
export class UpdateBudgetDto {
  @ApiPropertyOptional({ example: 'OpenAI monthly' }) @IsNotNullWhenPresent() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: BudgetScopeDto }) @IsNotNullWhenPresent() @ValidateNested() @Type(() => BudgetScopeDto) scope?: BudgetScopeDto;
  @ApiPropertyOptional({ example: '5000' })
  @IsNotNullWhenPresent()
  @Matches(/^(?=[\d.]*[1-9])\d{1,12}(\.\d{1,6})?$/, { message: 'monthlyLimitUsd must be a positive decimal string' })
  monthlyLimitUsd?: string;
  @ApiPropertyOptional({ example: [50, 80, 100] })
  @IsNotNullWhenPresent() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(1000, { each: true })
  thresholds?: number[];
}


@ApiTags('budgets')
@ApiBearerAuth()
@Controller('v1')
export class BudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

  @Post('budgets')
  @Requires('finance')
  @ApiOperation({ summary: 'Create a monthly budget with alert thresholds (finance, admin, owner)' })
  async create(@CurrentPrincipal() p: Principal, @Body() b: CreateBudgetDto) {
    return this.budgets.create(p.orgId, b);
  }

  @Get('budgets')
  @Requires('read')
  @ApiOperation({ summary: 'Budgets with month-to-date spend and percent used' })
  list(@CurrentPrincipal() p: Principal) {
    return this.budgets.list(p.orgId);
  }

  @Get('budgets/:id')
  @Requires('read')
  get(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    return this.budgets.get(p.orgId, id);
  }

  @Patch('budgets/:id')
  @Requires('finance')
  async update(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Body() b: UpdateBudgetDto) {
    return this.budgets.update(p.orgId, id, b);
  }

  @Delete('budgets/:id')
  @HttpCode(204)
  @Requires('finance')
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.budgets.remove(p.orgId, id);
  }

  @Get('alerts')
  @Requires('read')
  @ApiOperation({ summary: 'Budget alerts, newest first, with the spend that triggered them' })
  async alerts(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto) {
    return { data: await this.budgets.alerts(p.orgId, q.limit ?? 100) };
  }
}
