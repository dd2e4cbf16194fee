import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ETagMarker } from './etag.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/** The API conventions that work the same on every route: Idempotency-Key replays and report ETags. */
@Module({
  providers: [
    { provide: APP_INTERCEPTOR, useClass: ETagMarker },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class HttpContractModule {}
