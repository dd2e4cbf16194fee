import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPageResponse } from '../common/api-contract.js';
import { Idempotent } from '../infra/http/conventions.js';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import { AddMemberDto, UpdateMemberDto } from './members.dto.js';
import { CreatedInvitationDto, InvitationDto, MemberDto } from './members.responses.js';
import { MembersService } from './members.service.js';
import { uuid404 } from '../common/formats.js';


@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post()
  @Requires('admin')
  @Idempotent()
  @ApiOperation({
    summary: 'Invite an email with a role; the person joins with POST /v1/invitations/accept',
    description:
      'Returns a one-time `token` (shown only here, valid 7 days) for you to deliver. No account is ever attached without its owner accepting. 409 when the email already belongs to a member; only an owner may invite an owner (403).',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  add(@CurrentPrincipal() p: Principal, @Body() body: AddMemberDto): Promise<CreatedInvitationDto> {
    return this.members.invite(p, body);
  }

  @Get('invitations')
  @Requires('admin')
  @ApiOperation({ summary: 'Pending invitations (not yet accepted), newest first' })
  @ApiPageResponse(InvitationDto)
  invitations(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<InvitationDto>> {
    return this.members.invitations(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke a pending invitation: its token stops working' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revokeInvitation(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.members.revokeInvitation(p.orgId, id);
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List members with their roles, oldest membership id first' })
  @ApiPageResponse(MemberDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto): Promise<Page<MemberDto>> {
    return this.members.list(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Patch(':id')
  @Requires('admin')
  @ApiOperation({ summary: "Change a member's role", description: 'Only an owner grants or changes the owner role (403); 409 when it would leave the organisation without an owner.' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(409)
  update(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Body() body: UpdateMemberDto): Promise<MemberDto> {
    return this.members.updateRole(p, id, body.role);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Remove a member from the organisation', description: 'Also revokes the admin keys descended from them; 409 when they are the last owner.' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(409)
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string): Promise<void> {
    await this.members.remove(p, id);
  }
}
