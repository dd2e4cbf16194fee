import { Module } from '@nestjs/common';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { OrgSettingsService } from './org-settings.service.js';
import { OrgsRepository } from './orgs.repository.js';
import { OrgsService } from './orgs.service.js';
import { ProjectsRepository } from './projects.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { SnapshotsRepository } from './snapshots.repository.js';

/** Organisations, users, memberships, projects, org settings (with the retention horizon) and stored answers. */
@Module({
  providers: [OrgsRepository, ProjectsRepository, SettingsRepository, SnapshotsRepository, OrgsService, OrgSettingsService, MembersService],
  exports: [OrgsService, OrgSettingsService, MembersService],
})
export class OrgsModule {}

@Module({ imports: [OrgsModule], controllers: [MembersController] })
export class OrgsApiModule {}
