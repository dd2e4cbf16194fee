import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../common/decorators.js';
import type { Principal } from '../common/principal.js';
import { PageQueryDto } from '../common/pagination.js';
import { AddMemberDto, UpdateMemberDto } from './members.dto.js';
import { MembersService } from './members.service.js';
import { uuid404 } from '../common/formats.js';


@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post()
  @Requires('admin')
  @ApiOperation({
    summary:
      'Invite an email with a role: returns a one-time `token` (shown only here, valid 7 days) for you to deliver; the person joins with POST /v1/invitations/accept. No account is ever attached without its owner accepting',
  })
  add(@CurrentPrincipal() p: Principal, @Body() body: AddMemberDto) {
    return this.members.invite(p, body);
  }

  @Get('invitations')
  @Requires('admin')
  @ApiOperation({ summary: 'Pending invitations (not yet accepted), newest first' })
  invitations(@CurrentPrincipal() p: Principal) {
    return this.members.invitations(p.orgId);
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Revoke a pending invitation: its token stops working' })
  async revokeInvitation(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.members.revokeInvitation(p.orgId, id);
  }

  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'List members with their roles' })
  list(@CurrentPrincipal() p: Principal, @Query() q: PageQueryDto) {
    return this.members.list(p.orgId, q.limit ?? 100, q.cursor);
  }

  @Patch(':id')
  @Requires('admin')
  @ApiOperation({ summary: "Change a member's role" })
  update(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string, @Body() body: UpdateMemberDto) {
    return this.members.updateRole(p, id, body.role);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('admin')
  @ApiOperation({ summary: 'Remove a member from the organisation' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', uuid404) id: string) {
    await this.members.remove(p, id);
  }
}
