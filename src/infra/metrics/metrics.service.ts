import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QueueService } from '../queue/queue.service.js';

/**
 * Prometheus metrics, one registry per app (so tests can boot several).
 * Queue depth is read at scrape time; counters and histograms are fed
 * where things happen, and features register their own gauges (metering's
 * rollup lag) in `registry`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'crossover_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly events = new Counter({ name: 'crossover_events_total', help: 'Usage events by outcome', labelNames: ['status'], registers: [this.registry] });
  readonly jobDuration = new Histogram({
    name: 'crossover_job_duration_seconds',
    help: 'Background job duration by queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });

  /** Reads the load shedder's counts at scrape time (set by bootstrap for roles that serve HTTP). */
  inflightSource: (() => { inflight: number; refused: number }) | null = null;

  constructor(queues: QueueService) {
    const self = this;
    new Gauge({
      name: 'crossover_http_inflight_requests',
      help: 'HTTP requests in flight in this process (health and metrics excluded)',
      registers: [this.registry],
      collect() {
        this.set(self.inflightSource?.().inflight ?? 0);
      },
    });
    new Gauge({
      name: 'crossover_http_shed_requests',
      help: 'HTTP requests refused with 503 because MAX_INFLIGHT_REQUESTS were in flight, since start',
      registers: [this.registry],
      collect() {
        this.set(self.inflightSource?.().refused ?? 0);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'crossover_' });
    new Gauge({
      name: 'crossover_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of queues.allQueueNames()) {
          try {
            const counts = await queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
          } catch {
            /* Redis down: the gauge keeps its last value */
          }
        }
      },
    });
  }
}
