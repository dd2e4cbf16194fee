import { Injectable } from '@nestjs/common';

/** Readiness flips to "draining" as soon as shutdown starts, before anything stops. */
@Injectable()
export class LifecycleService {
  draining = false;
}
