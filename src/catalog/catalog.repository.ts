import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ModelPrice, PriceOverride } from '../generated/prisma/client.js';

export interface PriceSeedRow {
  provider: string;
  modelId: string;
  kind: 'closed' | 'managed_open';
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok: string | null;
  cacheWritePerMTok: string | null;
  tiers: { aboveInputTokens: number; inputPerMTok: string; outputPerMTok: string }[];
  contextTokens: number | null;
  effectiveFrom: Date;
  source: string;
}

/** The global price catalog and each org's overrides. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Idempotent: re-running the seed updates the same (provider, model, effectiveFrom) rows. */
  async upsertPrices(rows: PriceSeedRow[]): Promise<void> {
    await this.prisma.$transaction(
      rows.map((r) =>
        this.prisma.modelPrice.upsert({
          where: { provider_modelId_effectiveFrom: { provider: r.provider, modelId: r.modelId, effectiveFrom: r.effectiveFrom } },
          create: { ...r, tiers: r.tiers },
          update: { ...r, tiers: r.tiers },
        }),
      ),
    );
  }

  async upsertAliases(rows: { alias: string; modelId: string; provider: string }[]): Promise<void> {
    await this.prisma.$transaction(rows.map((r) => this.prisma.modelAlias.upsert({ where: { alias: r.alias }, create: r, update: r })));
  }

  async upsertFacts(rows: { kind: string; id: string; data: unknown; source: string }[]): Promise<void> {
    await this.prisma.$transaction(
      rows.map((r) =>
        this.prisma.referenceFact.upsert({
          where: { kind_id: { kind: r.kind, id: r.id } },
          create: { ...r, data: r.data as Prisma.InputJsonValue },
          update: { data: r.data as Prisma.InputJsonValue, source: r.source },
        }),
      ),
    );
  }

  async allPrices(): Promise<ModelPrice[]> {
    return this.prisma.modelPrice.findMany({ orderBy: [{ modelId: 'asc' }, { effectiveFrom: 'asc' }] });
  }

  async allAliases() {
    return this.prisma.modelAlias.findMany();
  }

  async facts(kind: string) {
    return this.prisma.referenceFact.findMany({ where: { kind }, orderBy: { id: 'asc' } });
  }

  async overrides(orgId: string): Promise<PriceOverride[]> {
    return this.prisma.tenant(orgId, (tx) => tx.priceOverride.findMany({ where: { orgId }, orderBy: { effectiveFrom: 'asc' } }));
  }

  async createOverride(orgId: string, data: Omit<Prisma.PriceOverrideUncheckedCreateInput, 'orgId'>): Promise<PriceOverride> {
    return this.prisma.tenant(orgId, (tx) => tx.priceOverride.create({ data: { ...data, orgId } }));
  }

  async deleteOverride(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.priceOverride.deleteMany({ where: { orgId, id } })).count === 1);
  }
}
