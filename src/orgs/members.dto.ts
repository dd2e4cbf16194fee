import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { Role } from '../generated/prisma/enums.js';

const ROLES = Object.values(Role);

export class AddMemberDto {
  @ApiProperty() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}
