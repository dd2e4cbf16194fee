// The JSON form of GET /v1/exports/focus: FOCUS 1.2 rows. Column names are the FOCUS specification's
// (PascalCase, x_ for custom columns), not this API's camelCase: FinOps tools read them by these names.
import { ApiProperty } from '@nestjs/swagger';
import { ApiMoney, SHARED_NEXT_CURSOR } from '../common/api-contract.js';
import { SERVICE_TIERS } from '../domain/pricing/price.js';
import { ALL_COLUMNS, CONSUMED_UNIT, FOCUS_VERSION, PRICING_UNIT, TOKEN_CLASSES } from '../domain/focus/focus.js';
import { COST_BASES } from './exports.dto.js';

const FOCUS_DATE_TIME = { type: 'string', format: 'date-time', description: 'UTC, YYYY-MM-DDTHH:mm:ssZ' } as const;

/** One FOCUS row: one UTC day x project x workload x environment x provider x model x service tier x token class. */
export class FocusRowDto {
  @ApiMoney({ example: '12.4831', description: 'USD, FOCUS Numeric Format' }) BilledCost: string;
  @ApiProperty({ format: 'uuid', example: '6f1c2b3a-9d4e-4f5a-8b6c-7d8e9f0a1b2c', description: 'The organisation id' }) BillingAccountId: string;
  @ApiProperty({ example: 'Wingtip Group' }) BillingAccountName: string;
  @ApiProperty({ enum: ['USD'], example: 'USD' }) BillingCurrency: string;
  @ApiProperty({ ...FOCUS_DATE_TIME, example: '2026-12-01T00:00:00Z' }) BillingPeriodEnd: string;
  @ApiProperty({ ...FOCUS_DATE_TIME, example: '2026-11-01T00:00:00Z' }) BillingPeriodStart: string;
  @ApiProperty({ enum: ['Usage'], example: 'Usage' }) ChargeCategory: string;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Always null (no corrections)' }) ChargeClass: string | null;
  @ApiProperty({ example: 'gpt-4o input tokens' }) ChargeDescription: string;
  @ApiProperty({ enum: ['Usage-Based'], example: 'Usage-Based' }) ChargeFrequency: string;
  @ApiProperty({ ...FOCUS_DATE_TIME, example: '2026-12-01T00:00:00Z' }) ChargePeriodEnd: string;
  @ApiProperty({ ...FOCUS_DATE_TIME, example: '2026-11-30T00:00:00Z' }) ChargePeriodStart: string;
  @ApiProperty({ pattern: '^\\d+$', example: '4250000', description: 'Tokens, as a decimal string' }) ConsumedQuantity: string;
  @ApiProperty({ enum: [CONSUMED_UNIT], example: CONSUMED_UNIT }) ConsumedUnit: string;
  @ApiMoney({ example: '12.4831' }) ContractedCost: string;
  @ApiMoney({ example: '12.4831' }) EffectiveCost: string;
  @ApiProperty({ example: 'OpenAI' }) InvoiceIssuerName: string;
  @ApiMoney({ example: '12.4831', description: 'At list price (BilledCost for unpriced usage)' }) ListCost: string;
  @ApiProperty({ pattern: '^\\d+(\\.\\d+)?$', example: '4.25', description: 'Millions of tokens' }) PricingQuantity: string;
  @ApiProperty({ enum: [PRICING_UNIT], example: PRICING_UNIT }) PricingUnit: string;
  @ApiProperty({ example: 'OpenAI' }) ProviderName: string;
  @ApiProperty({ example: 'OpenAI', description: "The model's maker (Meta for a Llama served by Together AI)" }) PublisherName: string;
  @ApiProperty({ enum: ['AI and Machine Learning'], example: 'AI and Machine Learning' }) ServiceCategory: string;
  @ApiProperty({ example: 'OpenAI API' }) ServiceName: string;
  @ApiProperty({ enum: ['Generative AI'], example: 'Generative AI' }) ServiceSubcategory: string;
  @ApiProperty({ example: 'gpt-4o', description: 'The model id' }) SkuId: string;
  @ApiProperty({ example: 'Input Tokens' }) SkuMeter: string;
  @ApiProperty({ example: '{"TokenClass":"input","ServiceTier":"default"}', description: 'Serialised JSON' }) SkuPriceDetails: string;
  @ApiProperty({ example: 'gpt-4o:input:default' }) SkuPriceId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'web', description: 'The project; null when the events named none' }) SubAccountId: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'Web app' }) SubAccountName: string | null;
  @ApiProperty({ example: '{"workload":"support-chat","environment":"production","project":"web"}', description: 'Serialised JSON' }) Tags: string;
  @ApiProperty({ enum: COST_BASES, enumName: 'CostBasis', example: 'computed' }) x_CostBasis: string;
  @ApiProperty({ example: 'production' }) x_Environment: string;
  @ApiProperty({ enum: SERVICE_TIERS, enumName: 'ServiceTier', example: 'default' }) x_ServiceTier: string;
  @ApiProperty({ enum: TOKEN_CLASSES, enumName: 'FocusTokenClass', example: 'input' }) x_TokenClass: string;
  @ApiProperty({ example: false, description: 'Some requests of the row had no price' }) x_Unpriced: boolean;
  @ApiProperty({ example: 'support-chat' }) x_Workload: string;
}

export class FocusExportDto {
  @ApiProperty({ enum: [FOCUS_VERSION], example: FOCUS_VERSION }) focusVersion: string;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' }) to: string;
  @ApiProperty({ enum: COST_BASES, enumName: 'CostBasis', example: 'computed' }) costBasis: string;
  @ApiProperty({ enum: ALL_COLUMNS, enumName: 'FocusColumn', isArray: true, example: ['BilledCost', 'BillingAccountId', 'x_Workload'], description: 'Every column, in CSV order' }) columns: readonly string[];
  @ApiProperty({ type: [FocusRowDto], description: 'The FOCUS rows of one page of daily rollup rows (one per token class used)' }) rows: FocusRowDto[];
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor: string | null;
}
