import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-contract.js';
import { AcceptInvitationDto, ChangePasswordDto, LoginDto, SignupDto } from './auth.dto.js';
import { AccessTokenDto, InvitationAcceptedDto, LoginResponseDto, SignupResponseDto } from './auth.responses.js';
import { AuthService } from './auth.service.js';
import { CurrentPrincipal, Public, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';

@ApiTags('access')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('signup')
  @ApiOperation({
    summary: 'Create an organisation with its owner; returns an access token and a first admin API key (secret shown once)',
    description:
      'An email that already has an account is not refused as taken: with that account\'s password the new organisation joins it, otherwise the answer is 401 like a failed sign-in (and counted as one: 429 after too many).',
  })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiErrors(401, 409)
  signup(@Body() body: SignupDto, @Req() req: FastifyRequest) {
    return this.auth.signup(body, req.ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token (JWT)', description: '401 on a wrong email or password (without saying which); 429 after too many failures.' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(401)
  login(@Body() body: LoginDto, @Req() req: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(body, req.ip);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Join an organisation with the one-time token of an invitation; returns an access token for it',
    description:
      'With the password of the account that uses the invited email (401 when wrong), or a new password that creates the account. 404 when the token is unknown, already used or expired.',
  })
  @ApiOkResponse({ type: InvitationAcceptedDto })
  @ApiErrors(401, 404)
  acceptInvitation(@Body() body: AcceptInvitationDto): Promise<InvitationAcceptedDto> {
    return this.auth.acceptInvitation(body);
  }

  @Post('me/password')
  @HttpCode(200)
  @Requires('read')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your password; returns a fresh access token',
    description: 'People only, with the current password (401 when wrong; 403 with an API key). Every access token issued before stops working.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  changePassword(@CurrentPrincipal() p: Principal, @Body() body: ChangePasswordDto): Promise<AccessTokenDto> {
    return this.auth.changePassword(p, body);
  }
}
