// Response bodies of signup, login, invitations and password changes, as the OpenAPI document describes them.
import { ApiProperty } from '@nestjs/swagger';
import { CreatedApiKeyDto } from '../api-keys/api-keys.responses.js';
import { Role } from '../generated/prisma/enums.js';

const ROLES = Object.values(Role);
const JWT_EXAMPLE = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI5ZDRiMWU3YSIsIm9yZyI6IjBiOGU3YzUyIn0.Qm9ndXNTaWduYXR1cmVGb3JEb2NzMDEyMzQ1Njc4OQ';

/** An access token: what every sign-in answer carries. */
export class AccessTokenDto {
  @ApiProperty({ example: JWT_EXAMPLE, description: 'A JWT: send it as `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'], enumName: 'TokenType', example: 'Bearer' }) tokenType: string;
  @ApiProperty({ type: 'integer', example: 3600, description: 'Seconds until the token expires' }) expiresIn: number;
}

export class SignupOrgDto {
  @ApiProperty({ format: 'uuid', example: '0b8e7c52-4a1d-4f3e-9b6a-2c5d8e1f7a30' }) id: string;
  @ApiProperty({ example: 'Wingtip Group' }) name: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone of day/week/month reports and digests' }) timezone: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T09:15:00.000Z' }) createdAt: string;
}

export class SignupUserDto {
  @ApiProperty({ format: 'uuid', example: '9d4b1e7a-2c3f-4a8d-b6e5-1f0c7a2d8e93' }) id: string;
  @ApiProperty({ example: 'finance@wingtip-group.com' }) email: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'owner' }) role: Role;
}

export class SignupResponseDto extends AccessTokenDto {
  @ApiProperty({ type: SignupOrgDto }) org: SignupOrgDto;
  @ApiProperty({ type: SignupUserDto }) user: SignupUserDto;
  @ApiProperty({ type: CreatedApiKeyDto, description: 'A first admin API key; its secret `key` is shown only here' }) apiKey: CreatedApiKeyDto;
}

export class MembershipSummaryDto {
  @ApiProperty({ format: 'uuid', example: '0b8e7c52-4a1d-4f3e-9b6a-2c5d8e1f7a30' }) orgId: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'admin' }) role: Role;
}

export class LoginResponseDto extends AccessTokenDto {
  @ApiProperty({ format: 'uuid', example: '0b8e7c52-4a1d-4f3e-9b6a-2c5d8e1f7a30', description: 'The organisation this token is for' }) orgId: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'admin' }) role: Role;
  @ApiProperty({ type: [MembershipSummaryDto], description: 'Every organisation of this user, oldest membership first (sign in to another with orgId)' })
  organizations: MembershipSummaryDto[];
}

export class InvitationAcceptedDto extends AccessTokenDto {
  @ApiProperty({ format: 'uuid', example: '0b8e7c52-4a1d-4f3e-9b6a-2c5d8e1f7a30', description: 'The organisation joined (the token is for it)' }) orgId: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'engineer' }) role: Role;
}
