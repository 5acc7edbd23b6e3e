import { Module } from '@nestjs/common';
import { AdapterEmbedsController } from './adapter-embeds.controller';
import { AgentPageCors } from './agent-page-cors';
import { AgentPagesController } from './agent-pages.controller';
import { PublicFiles } from './public-files';

/**
 * What agents' browsers load: the agent-bridge script, the demo desktop, adapter iframe snippets, and the
 * CORS answers that let CRM pages of other origins use the script (EB1.1 a, EB3.2–EB3.4).
 */
@Module({ controllers: [AgentPagesController, AdapterEmbedsController], providers: [PublicFiles, AgentPageCors] })
export class AgentDesktopModule {}
