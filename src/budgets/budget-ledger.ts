import { Injectable } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service.js';
import { windowLengthMs, type BudgetWindow } from '../domain/budget/rules.js';

/**
 * What the decision endpoint adds the counters to: a budget's spend read from the rollups (`spentUsd`, decimal
 * string) and the budget's counter as it was read just BEFORE those rollups were read (`counter`, nano-dollars).
 */
export interface BudgetBase {
  spentUsd: string;
  counter: string;
  /** When the rollups were read (ms). */
  asOf: number;
  /** The window the spend is of (its start, ms): a rolling window that moved on makes the base stale. */
  windowStart: number;
  /** The budget's version (updatedAt, ms) the base was computed for. */
  version: number;
}

/** A base is kept this long (ms); it is used for at most BASE_MAX_AGE_MS, so this only bounds Redis memory. */
const BASE_TTL_MS = 10 * 60_000;
/** Counters outlive their window by this margin (ms), refreshed on every increment. */
const COUNTER_MARGIN_MS = 3_600_000;

/**
 * Budget counters and bases in Redis. Every key of an org shares the hash tag `budget:<org>`, so the one pipeline
 * an ingest request sends and the one MGET a decision reads stay in one cluster slot.
 * - `n:<budget>`: integer nano-dollars of usage ingested for the budget, only ever incremented (INCRBY); it
 *   expires a window plus an hour after its last increment. Only differences between two reads mean anything.
 * - `base:<budget>`: a BudgetBase (JSON).
 */
@Injectable()
export class BudgetLedger {
  constructor(private readonly redis: RedisService) {}

  private counterKey(orgId: string, id: string): string {
    return this.redis.key(`budget:${orgId}`, 'n', id);
  }
  private baseKey(orgId: string, id: string): string {
    return this.redis.key(`budget:${orgId}`, 'base', id);
  }

  /** Adds nano-dollars to budgets' counters: one pipelined round trip (INCRBY and PEXPIRE per budget). */
  async add(orgId: string, amounts: readonly { id: string; window: BudgetWindow; nano: bigint }[]): Promise<void> {
    if (!amounts.length) return;
    const p = this.redis.client.pipeline();
    for (const a of amounts) {
      const k = this.counterKey(orgId, a.id);
      p.incrby(k, a.nano.toString());
      p.pexpire(k, windowLengthMs(a.window) + COUNTER_MARGIN_MS);
    }
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /** The budgets' counters now (0 when a counter does not exist). */
  async counters(orgId: string, ids: readonly string[]): Promise<bigint[]> {
    if (!ids.length) return [];
    const raw = await this.redis.client.mget(ids.map((id) => this.counterKey(orgId, id)));
    return raw.map((v) => BigInt(v ?? '0'));
  }

  /** Each budget's base (null when missing or unreadable) and counter, in one MGET. */
  async read(orgId: string, ids: readonly string[]): Promise<{ base: BudgetBase | null; counter: bigint }[]> {
    if (!ids.length) return [];
    const raw = await this.redis.client.mget([...ids.map((id) => this.baseKey(orgId, id)), ...ids.map((id) => this.counterKey(orgId, id))]);
    return ids.map((_, i) => ({ base: parseBase(raw[i]), counter: BigInt(raw[ids.length + i] ?? '0') }));
  }

  /** Stores bases (one pipelined round trip). */
  async writeBases(orgId: string, bases: readonly { id: string; base: BudgetBase }[]): Promise<void> {
    if (!bases.length) return;
    const p = this.redis.client.pipeline();
    for (const b of bases) p.set(this.baseKey(orgId, b.id), JSON.stringify(b.base), 'PX', BASE_TTL_MS);
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /** Forgets bases (their budget changed or is gone); the counters stay, only their differences are used. */
  async dropBases(orgId: string, ids: readonly string[]): Promise<void> {
    if (ids.length) await this.redis.client.del(...ids.map((id) => this.baseKey(orgId, id)));
  }
}

function parseBase(v: string | null): BudgetBase | null {
  if (!v) return null;
  try {
    const b = JSON.parse(v) as BudgetBase;
    return typeof b.spentUsd === 'string' && typeof b.counter === 'string' && typeof b.asOf === 'number' ? b : null;
  } catch {
    return null;
  }
}
