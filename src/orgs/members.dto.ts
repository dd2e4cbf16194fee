import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import type { Role } from '../generated/prisma/enums.js';
import { ROLES } from './members.responses.js';

export class AddMemberDto {
  @ApiProperty({ example: 'priya@wingtip-group.com' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'engineer' }) @IsIn(ROLES) role: Role;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'finance' }) @IsIn(ROLES) role: Role;
}
