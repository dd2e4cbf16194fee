import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import type { AppConfig } from '../config/config.js';
import { OrgsModule } from '../orgs/orgs.module.js';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthnGuard, PermissionGuard } from './guards.js';
import { JwtStrategy } from './jwt.strategy.js';
import { IpRateLimitGuard, RateLimitGuard } from './rate-limit.js';

/**
 * Sign-up, sign-in and the global guards every HTTP route passes, in this
 * order: per-IP rate limit (so failed authentication counts), authentication
 * (API key or JWT), permission, per-principal rate limit. API role only.
 */
@Module({})
export class AuthModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [OrgsModule, ApiKeysModule, PassportModule, JwtModule.register({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } })],
      controllers: [AuthController],
      providers: [
        AuthService,
        ApiKeyStrategy,
        JwtStrategy,
        { provide: APP_GUARD, useClass: IpRateLimitGuard },
        { provide: APP_GUARD, useClass: AuthnGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
