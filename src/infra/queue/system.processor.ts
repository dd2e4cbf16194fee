import { Injectable } from '@nestjs/common';
import { QueueProcessor, type JobHandlers } from './queue-processor.js';

/** Answers `system/ping`: proves the whole queue path (producer → Redis → worker) works. */
@Injectable()
@QueueProcessor('system')
export class SystemProcessor implements JobHandlers<'system'> {
  handlers() {
    return {
      ping: async (payload: { orgId: string; at: string }) => ({ pong: payload.at, orgId: payload.orgId }),
    };
  }
}
