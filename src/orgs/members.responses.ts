// Response bodies of /v1/members, as the OpenAPI document describes them (README "API conventions").
import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../generated/prisma/enums.js';

export const ROLES = Object.values(Role);

export class MemberDto {
  @ApiProperty({ format: 'uuid', example: '3c9a7e21-5d4b-4f8a-b2c6-8e1d0f7a9b42', description: 'The membership id (what PATCH and DELETE /v1/members/{id} take)' }) id: string;
  @ApiProperty({ format: 'uuid', example: '9d4b1e7a-2c3f-4a8d-b6e5-1f0c7a2d8e93' }) userId: string;
  @ApiProperty({ example: 'priya@wingtip-group.com' }) email: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'finance' }) role: Role;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) createdAt: string;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid', example: '7a2e9c14-6b3d-4f1e-8c5a-0d9b2e4f6a81' }) id: string;
  @ApiProperty({ example: 'priya@wingtip-group.com' }) email: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'engineer' }) role: Role;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T09:15:00.000Z', description: 'The token stops working then (7 days after the invitation)' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' }) createdAt: string;
}

/** The answer of POST /v1/members: the only time the invitation's token is shown. */
export class CreatedInvitationDto {
  @ApiProperty({ type: InvitationDto }) invitation: InvitationDto;
  @ApiProperty({ example: 'cxinv_Yk3p9QmR2vT8xW1zB6nF4hJ7cL0sD5aG', description: 'One-time token for the invited person: deliver it yourself; shown only here' }) token: string;
  @ApiProperty({
    example: 'POST /v1/invitations/accept {"token", "password"}: the password of the account with this email, or a new one (at least 10 characters) when there is none',
    description: 'How the invited person joins',
  })
  accept: string;
}
