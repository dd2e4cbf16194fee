import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';

export class SignupDto {
  @ApiProperty({ example: 'Acme Corp' }) @IsString() @Length(1, 200) orgName: string;
  @ApiProperty({ example: 'finance@acme.test' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ minLength: 10, example: 'a long passphrase' }) @IsString() @MinLength(10) @MaxLength(200) password: string;
  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone for day/week/month reports and digests' })
  @IsOptional() @IsString() @MaxLength(64) timezone?: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
  @ApiPropertyOptional({ description: 'Which organisation to sign in to, when the user belongs to several (default: the oldest membership)' })
  @IsOptional() @IsUUID() orgId?: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ example: 'cxinv_...', description: 'The one-time token the inviter gave you' }) @IsString() @Length(10, 100) token: string;
  @ApiProperty({ description: 'The password of the account that uses the invited email, or a new one (10+ characters) when there is none' })
  @IsString() @MaxLength(200) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(200) currentPassword: string;
  @ApiProperty({ minLength: 10 }) @IsString() @MinLength(10) @MaxLength(200) newPassword: string;
}
