import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* OpenAPI description of GET /v1/catalog/gpus (see gpu-catalog.ts for the shape's source). */

export class GpuTierPriceDto {
  @ApiProperty({ description: 'USD per GPU-hour, decimal string', example: '3.84' }) usdPerGpuHour!: string;
  @ApiProperty({ description: 'How the figure was reached', example: 'median of 12 on-demand offers dated 2026-03..2026-06-30 (...)' }) basis!: string;
  @ApiProperty({ type: [String], description: 'Source ids behind the figure (resolved in `sources`)' }) sourceIds!: string[];
  @ApiProperty({ description: 'Newest date behind the figure (YYYY-MM or YYYY-MM-DD)', example: '2026-06-30' }) asOf!: string;
  @ApiProperty({ description: 'Offers behind the figure' }) offerCount!: number;
}

export class GpuPricesDto {
  @ApiProperty({ type: GpuTierPriceDto, nullable: true, description: 'Default: median of sourced on-demand offers of the 18 months before the catalog date, hyperscalers and specialist clouds together (capacity blocks count as on-demand)' })
  marketOnDemand!: GpuTierPriceDto | null;
  @ApiProperty({ type: GpuTierPriceDto, nullable: true, description: 'Median of dated AWS/GCP/Azure on-demand offers' }) hyperscalerOnDemand!: GpuTierPriceDto | null;
  @ApiProperty({ type: GpuTierPriceDto, nullable: true, description: 'Sourced 1-year commitment prices, else marketOnDemand x (1 - a sourced 1-year discount)' }) committed1y!: GpuTierPriceDto | null;
  @ApiProperty({ type: GpuTierPriceDto, nullable: true, description: 'Median of sourced spot offers: only for workloads that accept interruption' }) spot!: GpuTierPriceDto | null;
}

export class GpuOfferDto {
  @ApiProperty({ example: 'AWS' }) provider!: string;
  @ApiProperty({ example: 'g5.12xlarge (4x A10G) $5.672/4' }) sku!: string;
  @ApiProperty({ example: 4 }) gpusPerInstance!: number;
  @ApiProperty({ enum: ['onDemand', 'spot', 'committed1y', 'capacityBlock'] }) kind!: string;
  @ApiProperty({ description: 'USD per GPU-hour, decimal string', example: '1.418' }) usdPerGpuHour!: string;
  @ApiProperty({ description: 'AWS, GCP or Azure' }) hyperscaler!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'us-east-1' }) region!: string | null;
  @ApiProperty({ example: 'skypilot_aws' }) sourceId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM or YYYY-MM-DD; null when the source is undated' }) asOf!: string | null;
  @ApiProperty({ description: 'Undated or known out-of-date source: shown, never in a market median' }) stale!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class SourceRefDto {
  @ApiProperty({ example: 'techbytes_2026' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-05-07' }) date!: string | null;
}

export class GpuFactSourcesDto {
  @ApiProperty({ type: String, nullable: true, description: 'memory, bandwidth, bf16' }) spec!: string | null;
  @ApiProperty({ type: String, nullable: true }) interconnect!: string | null;
  @ApiProperty({ type: String, nullable: true }) fp8!: string | null;
  @ApiProperty({ type: String, nullable: true }) fp8TFLOPS!: string | null;
}

export class GpuDto {
  @ApiProperty({ example: 'H100-80GB-SXM' }) id!: string;
  @ApiProperty({ example: 80 }) memoryGB!: number;
  @ApiProperty({ example: 3.35 }) memBandwidthTBs!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'dense' }) bf16TFLOPS!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'dense, where sourced' }) fp8TFLOPS!: number | null;
  @ApiProperty({ enum: ['nvlink', 'pcie'], nullable: true }) interconnect!: string | null;
  @ApiProperty({ enum: ['native', 'weight-only', 'none'], nullable: true, description: 'weight-only: fp8 weights served with bf16 maths (Ampere)' }) fp8!: string | null;
  @ApiProperty({ type: GpuPricesDto }) prices!: GpuPricesDto;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Why a tier is null' }) priceGaps!: Record<string, string>;
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
  @ApiPropertyOptional({ type: [GpuDto] }) data!: GpuDto[];
}
