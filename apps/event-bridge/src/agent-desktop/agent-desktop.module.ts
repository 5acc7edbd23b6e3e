import { Module } from '@nestjs/common';
import { AdapterEmbedsController } from './adapter-embeds.controller';
import { AgentPagesController } from './agent-pages.controller';
import { PublicFiles } from './public-files';

/** What agents' browsers load: the agent-bridge script, the demo desktop, adapter iframe snippets (EB1.1 a, EB3.2–EB3.4). */
@Module({ controllers: [AgentPagesController, AdapterEmbedsController], providers: [PublicFiles] })
export class AgentDesktopModule {}
