import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AcceptInvitationDto, ChangePasswordDto, LoginDto, SignupDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { CurrentPrincipal, Public, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';

@ApiTags('access')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('signup')
  @ApiOperation({ summary: 'Create an organisation with its owner; returns an access token and a first admin API key (secret shown once)' })
  signup(@Body() body: SignupDto, @Req() req: FastifyRequest) {
    return this.auth.signup(body, req.ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token (JWT)' })
  login(@Body() body: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(body, req.ip);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Join an organisation with the one-time token of an invitation: with the password of the account that uses the invited email, or a new password that creates it; returns an access token for that organisation',
  })
  acceptInvitation(@Body() body: AcceptInvitationDto) {
    return this.auth.acceptInvitation(body);
  }

  @Post('me/password')
  @HttpCode(200)
  @Requires('read')
  @ApiOperation({ summary: 'Change your password (people only, with the current one); every access token issued before stops working; returns a fresh one' })
  changePassword(@CurrentPrincipal() p: Principal, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(p, body);
  }
}
