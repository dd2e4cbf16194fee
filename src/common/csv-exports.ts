import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { ConcurrencyGate } from './concurrency-gate.js';
import { QuotaExceededError } from './errors.js';

/** Exports running at once: per server process and per org, whatever their kind (spend CSV, FOCUS). */
export const CSV_EXPORTS = { total: 2, perOrg: 1, retryAfterSeconds: 10 } as const;

/** Writes one chunk, waiting while the client's buffer is full; throws once the client went away. */
export type ChunkWriter = (chunk: string) => Promise<void>;

/**
 * Streamed CSV exports, one home for every kind: a slot per org and two per server (never queued: a
 * refusal is 429 + Retry-After), backpressure (a slow reader slows the producer instead of growing a
 * buffer), and streams cut at shutdown (a client that stopped reading would otherwise hold the HTTP
 * drain, and so the shutdown, for ever; the client sees a truncated file and retries).
 */
@Injectable()
export class CsvExports implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CsvExports.name);
  private readonly gate = new ConcurrencyGate(CSV_EXPORTS.total, CSV_EXPORTS.perOrg);
  private readonly streaming = new Set<PassThrough>();

  /** Claims the org's export slot, or throws 429 (QuotaExceededError); call the returned release exactly once. */
  claim(orgId: string): () => void {
    const release = this.gate.tryAcquire(orgId);
    if (!release) throw new QuotaExceededError('Too many CSV exports are running (one per organisation, two per server, spend and FOCUS alike); retry shortly', CSV_EXPORTS.retryAfterSeconds);
    return release;
  }

  /**
   * The response body: `produce` writes the chunks (after the slot was claimed and everything that can
   * fail with a clean 4xx was checked). A failure mid-stream cuts the response (the status is already
   * sent) and is logged under `label`; the slot is released when the stream ends either way.
   */
  stream(orgId: string, label: string, release: () => void, produce: (write: ChunkWriter) => Promise<void>): Readable {
    const out = new PassThrough();
    this.streaming.add(out);
    const write: ChunkWriter = async (chunk) => {
      if (out.destroyed) throw new Error('client went away');
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    };
    void (async () => {
      try {
        await produce(write);
        out.end();
      } catch (e) {
        if (!out.destroyed) this.logger.warn(`${label} of org ${orgId} stopped: ${(e as Error).message}`);
        out.destroy();
      } finally {
        this.streaming.delete(out);
        release();
      }
    })();
    return out;
  }

  beforeApplicationShutdown(): void {
    for (const out of this.streaming) out.destroy();
  }
}
