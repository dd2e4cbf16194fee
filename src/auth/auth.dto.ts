import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';

export class SignupDto {
  @ApiProperty({ example: 'Wingtip Group' }) @IsString() @Length(1, 200) orgName: string;
  @ApiProperty({ example: 'finance@wingtip-group.com' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ minLength: 10, example: 'correct-horse-battery-staple' }) @IsString() @MinLength(10) @MaxLength(200) password: string;
  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone for day/week/month reports and digests' })
  @IsOptional() @IsString() @MaxLength(64) timezone?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'finance@wingtip-group.com' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ example: 'correct-horse-battery-staple' }) @IsString() @MaxLength(200) password: string;
  @ApiPropertyOptional({
    format: 'uuid',
    example: '0b8e7c52-4a1d-4f3e-9b6a-2c5d8e1f7a30',
    description: 'Which organisation to sign in to, when the user belongs to several (default: the oldest membership)',
  })
  @IsOptional() @IsUUID() orgId?: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ example: 'cxinv_Yk3p9QmR2vT8xW1zB6nF4hJ7cL0sD5aG', description: 'The one-time token the inviter gave you' }) @IsString() @Length(10, 100) token: string;
  @ApiProperty({ example: 'correct-horse-battery-staple', description: 'The password of the account that uses the invited email, or a new one (10+ characters) when there is none' })
  @IsString() @MaxLength(200) password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct-horse-battery-staple' }) @IsString() @MaxLength(200) currentPassword: string;
  @ApiProperty({ minLength: 10, example: 'another-long-passphrase-2026' }) @IsString() @MinLength(10) @MaxLength(200) newPassword: string;
}
