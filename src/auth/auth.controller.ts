import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LoginDto, SignupDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { Public } from '../common/decorators.js';

@ApiTags('access')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('signup')
  @ApiOperation({ summary: 'Create an organisation with its owner; returns an access token and a first admin API key (secret shown once)' })
  signup(@Body() body: SignupDto) {
    return this.auth.signup(body);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token (JWT)' })
  login(@Body() body: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(body, req.ip);
  }
}
