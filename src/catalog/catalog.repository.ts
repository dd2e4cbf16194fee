import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ModelPrice, PriceOverride } from '../generated/prisma/client.js';
import type { SeedPlan } from '../domain/catalog/seed-plan.js';

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

/**
 * The boot seed's transactions: hundreds of upserts, which took over Prisma's default 5 s interactive-transaction
 * limit on a loaded 2-core machine (the boot then failed). Still bounded, so a stuck seed fails the boot.
 */
const SEED_TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

/** The global price catalog and each org's overrides. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Idempotent: re-running the seed updates the same (provider, model, effectiveFrom) rows. */
  async upsertPrices(rows: PriceSeedRow[]): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        for (const r of rows) {
          await tx.modelPrice.upsert({
            where: { provider_modelId_effectiveFrom: { provider: r.provider, modelId: r.modelId, effectiveFrom: r.effectiveFrom } },
            create: { ...r, tiers: r.tiers },
            update: { ...r, tiers: r.tiers },
          });
        }
      },
      SEED_TRANSACTION,
    );
  }

  async upsertAliases(rows: { alias: string; modelId: string; provider: string }[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const r of rows) await tx.modelAlias.upsert({ where: { alias: r.alias }, create: r, update: r });
    }, SEED_TRANSACTION);
  }

  async upsertFacts(rows: { kind: string; id: string; data: unknown; source: string }[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const r of rows) {
        await tx.referenceFact.upsert({
          where: { kind_id: { kind: r.kind, id: r.id } },
          create: { ...r, data: r.data as Prisma.InputJsonValue },
          update: { data: r.data as Prisma.InputJsonValue, source: r.source },
        });
      }
    }, SEED_TRANSACTION);
  }

  /**
   * Appends the seed's plan under a transaction-scoped advisory lock, so replicas
   * booting together seed one after the other and the second plans nothing.
   * Inserts only (ON CONFLICT DO NOTHING on provider, model_id, effective_from)
   * and closes open-ended rows; never updates a stored rate. `plan` sees every stored row.
   */
  async appendPriceVersions(plan: (stored: ModelPrice[]) => SeedPlan): Promise<SeedPlan> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('crossover:catalog-seed'))`;
        const result = plan(await tx.modelPrice.findMany());
        if (result.inserts.length > 0) {
          await tx.modelPrice.createMany({
            data: result.inserts.map((v) => ({
              provider: v.provider,
              modelId: v.modelId,
              kind: v.kind,
              inputPerMTok: v.inputPerMTok,
              outputPerMTok: v.outputPerMTok,
              cachedInputPerMTok: v.cachedInputPerMTok,
              cacheWritePerMTok: v.cacheWritePerMTok,
              cacheWrite1hPerMTok: v.cacheWrite1hPerMTok,
              inputAudioPerMTok: v.inputAudioPerMTok,
              cachedInputAudioPerMTok: v.cachedInputAudioPerMTok,
              outputAudioPerMTok: v.outputAudioPerMTok,
              inputImagePerMTok: v.inputImagePerMTok,
              inputVideoPerMTok: v.inputVideoPerMTok,
              tiers: v.tiers as unknown as Prisma.InputJsonValue,
              contextTokens: v.contextTokens,
              effectiveFrom: v.effectiveFrom,
              effectiveTo: v.effectiveTo,
              source: v.source,
              note: v.note,
            })),
            skipDuplicates: true,
          });
        }
        for (const c of result.closes) {
          await tx.modelPrice.updateMany({
            where: { provider: c.provider, modelId: c.modelId, effectiveFrom: c.effectiveFrom, effectiveTo: null },
            data: { effectiveTo: c.effectiveTo },
          });
        }
        return result;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  /** One statement for every alias (primary key alias): a changed target is updated, an unchanged one left alone. */
  async upsertAliasesBulk(rows: { alias: string; modelId: string; provider: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      INSERT INTO model_aliases (alias, model_id, provider)
      SELECT * FROM unnest(${rows.map((r) => r.alias)}::text[], ${rows.map((r) => r.modelId)}::text[], ${rows.map((r) => r.provider)}::text[])
      ON CONFLICT (alias) DO UPDATE SET model_id = EXCLUDED.model_id, provider = EXCLUDED.provider
      WHERE model_aliases.model_id IS DISTINCT FROM EXCLUDED.model_id OR model_aliases.provider IS DISTINCT FROM EXCLUDED.provider`;
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

  /** A page of the org's overrides, oldest effectiveFrom first; keyset on (effective_from, id) after the primary key's org_id. */
  async overridesPage(orgId: string, limit: number, after: { at: string; id: string } | undefined): Promise<PriceOverride[]> {
    return this.prisma.tenant(orgId, (tx) =>
      tx.priceOverride.findMany({
        where: { orgId, ...(after ? { OR: [{ effectiveFrom: { gt: new Date(after.at) } }, { effectiveFrom: new Date(after.at), id: { gt: after.id } }] } : {}) },
        orderBy: [{ effectiveFrom: 'asc' }, { id: 'asc' }],
        take: limit + 1,
      }),
    );
  }

  async createOverride(orgId: string, data: Omit<Prisma.PriceOverrideUncheckedCreateInput, 'orgId'>): Promise<PriceOverride> {
    return this.prisma.tenant(orgId, (tx) => tx.priceOverride.create({ data: { ...data, orgId } }));
  }

  async deleteOverride(orgId: string, id: string): Promise<boolean> {
    return this.prisma.tenant(orgId, async (tx) => (await tx.priceOverride.deleteMany({ where: { orgId, id } })).count === 1);
  }
}
