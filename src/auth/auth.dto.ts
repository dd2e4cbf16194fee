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
