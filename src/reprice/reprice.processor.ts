import { Injectable } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';
import { RepriceService } from './reprice.service.js';

@Injectable()
@QueueProcessor('catalog')
export class RepriceProcessor implements JobHandlers<'catalog'> {
  constructor(private readonly reprice: RepriceService) {}

  handlers() {
    return {
      reprice: (p: { orgId: string; runId: string }) => this.reprice.run(p.orgId, p.runId),
    };
  }
}
