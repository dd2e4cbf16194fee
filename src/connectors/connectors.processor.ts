import { Injectable } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from '../infra/queue/queue-processor.js';

/** Connector syncs (skeleton: the connectors work fills it in). */
@Injectable()
@QueueProcessor('connectors')
export class ConnectorsProcessor implements JobHandlers<'connectors'> {
  handlers() {
    return {
      sync: async () => {
        throw new Error('connector sync is not built yet');
      },
      schedule: async () => ({ connectors: 0 }),
    };
  }
}
