import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiMoney, SHARED_NEXT_CURSOR, ApiNullableRef } from '../common/api-contract.js';
import type { GpuPriceTier } from '../domain/economics/types.js';
import { GPU_OFFER_KINDS } from '../domain/reference/gpu-market-records.js';

/* OpenAPI description of GET /v1/catalog/gpus (see gpu-catalog.ts for the shape's source). */

export const INTERCONNECTS = ['nvlink', 'pcie'] as const;
export const FP8_SUPPORT = ['native', 'weight-only', 'none'] as const;

// Keeps GpuPriceGapsDto's fields in step with the domain's price tiers.
type _GapsCoverTiers = [GpuPriceTier] extends [keyof GpuPriceGapsDto] ? true : never;
export const GAPS_COVER_TIERS: _GapsCoverTiers = true;

export class GpuTierPriceDto {
  @ApiMoney({ description: 'USD per GPU-hour, decimal string', example: '2.99' }) usdPerGpuHour!: string;
  @ApiProperty({ description: 'How the figure was reached', example: 'median of 12 on-demand offers dated 2025-06..2026-11 (AWS, GCP, Azure, Lambda, RunPod)' }) basis!: string;
  @ApiProperty({ type: [String], example: ['skypilot_aws', 'lambda_pricing_2026'], description: 'Source ids behind the figure (resolved in `sources`)' }) sourceIds!: string[];
  @ApiProperty({ description: 'Newest date behind the figure (YYYY-MM or YYYY-MM-DD)', example: '2026-11-30' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Offers behind the figure', example: 12 }) offerCount!: number;
}

export class GpuPricesDto {
  @ApiNullableRef(GpuTierPriceDto, { description: 'Default: median of sourced on-demand offers of the 18 months before the catalog date, hyperscalers and specialist clouds together (capacity blocks count as on-demand)' })
  marketOnDemand!: GpuTierPriceDto | null;
  @ApiNullableRef(GpuTierPriceDto, { description: 'Median of dated AWS/GCP/Azure on-demand offers' }) hyperscalerOnDemand!: GpuTierPriceDto | null;
  @ApiNullableRef(GpuTierPriceDto, { description: 'Sourced 1-year commitment prices, else marketOnDemand x (1 - a sourced 1-year discount)' }) committed1y!: GpuTierPriceDto | null;
  @ApiNullableRef(GpuTierPriceDto, { description: 'Median of sourced spot offers: only for workloads that accept interruption' }) spot!: GpuTierPriceDto | null;
}

/** Per price tier that has no price, why. */
export class GpuPriceGapsDto {
  @ApiPropertyOptional({ example: 'no dated on-demand offer in the market window' }) marketOnDemand?: string;
  @ApiPropertyOptional({ example: 'no dated AWS, GCP or Azure offer' }) hyperscalerOnDemand?: string;
  @ApiPropertyOptional({ example: 'no sourced commitment price or discount' }) committed1y?: string;
  @ApiPropertyOptional({ example: 'no dated spot offer in the market window' }) spot?: string;
}

export class GpuOfferDto {
  @ApiProperty({ example: 'AWS' }) provider!: string;
  @ApiProperty({ example: 'g5.12xlarge (4x A10G) $5.672/4' }) sku!: string;
  @ApiProperty({ example: 4 }) gpusPerInstance!: number;
  @ApiProperty({ enum: GPU_OFFER_KINDS, enumName: 'GpuOfferKind', example: 'onDemand' }) kind!: string;
  @ApiMoney({ description: 'USD per GPU-hour, decimal string', example: '1.418' }) usdPerGpuHour!: string;
  @ApiProperty({ description: 'AWS, GCP or Azure', example: true }) hyperscaler!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'us-east-1' }) region!: string | null;
  @ApiProperty({ example: 'skypilot_aws' }) sourceId!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-06-30', description: 'YYYY-MM or YYYY-MM-DD; null when the source is undated' }) asOf!: string | null;
  @ApiProperty({ description: 'Undated or known out-of-date source: shown, never in a market median', example: false }) stale!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'price per instance divided by 4 GPUs' }) note!: string | null;
}

export class SourceRefDto {
  @ApiProperty({ example: 'techbytes_2026' }) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'https://www.nvidia.com/en-us/data-center/h100/' }) url!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-05-07' }) date!: string | null;
}

export class GpuFactSourcesDto {
  @ApiProperty({ type: String, nullable: true, example: 'nvidia_h100_datasheet', description: 'memory, bandwidth, bf16' }) spec!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nvidia_h100_datasheet' }) interconnect!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nvidia_hopper_whitepaper' }) fp8!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nvidia_h100_datasheet' }) fp8TFLOPS!: string | null;
}

export class GpuDto {
  @ApiProperty({ example: 'H100-80GB-SXM' }) id!: string;
  @ApiProperty({ example: 80 }) memoryGB!: number;
  @ApiProperty({ example: 3.35 }) memBandwidthTBs!: number;
  @ApiProperty({ type: Number, nullable: true, example: 989, description: 'dense' }) bf16TFLOPS!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1979, description: 'dense, where sourced' }) fp8TFLOPS!: number | null;
  // Inline, with null in the list: a nullable named enum becomes allOf[$ref] + nullable, which validators refuse.
  @ApiProperty({ type: 'string', enum: [...INTERCONNECTS, null], nullable: true, example: 'nvlink' }) interconnect!: string | null;
  @ApiProperty({ type: 'string', enum: [...FP8_SUPPORT, null], nullable: true, example: 'native', description: 'weight-only: fp8 weights served with bf16 maths (Ampere)' }) fp8!: string | null;
  @ApiProperty({ type: GpuPricesDto }) prices!: GpuPricesDto;
  @ApiProperty({ type: GpuPriceGapsDto, description: 'Why a tier is null (only null tiers are listed)' })
  priceGaps!: GpuPriceGapsDto;
  @ApiProperty({ type: [GpuOfferDto] }) offers!: GpuOfferDto[];
  @ApiProperty({ type: GpuFactSourcesDto }) factSources!: GpuFactSourcesDto;
  @ApiProperty({ type: [SourceRefDto], description: 'Every source id cited above, resolved' }) sources!: SourceRefDto[];
}

export class GpuMarketWindowDto {
  @ApiProperty({ example: '2025-06-01' }) from!: string;
  @ApiProperty({ example: '2026-12-01' }) to!: string;
  @ApiProperty({ example: 18 }) months!: number;
}

export class GpuCatalogDto {
  @ApiProperty({ description: "The catalog's as-of date", example: '2026-12-01' }) asOf!: string;
  @ApiProperty({ type: GpuMarketWindowDto }) marketWindow!: GpuMarketWindowDto;
  @ApiProperty({ type: [GpuDto] }) data!: GpuDto[];
  @ApiProperty(SHARED_NEXT_CURSOR) nextCursor!: string | null;
}
