import { Module, type DynamicModule } from '@nestjs/common';
import type { ResponseCache } from './cache/response-cache.js';
import { DocsController } from './docs/docs.controller.js';
import { AdminKeyGuard } from './http/admin-key.guard.js';
import type { ToolRepository } from './storage/tool.repository.js';
import { SubmissionModerationService } from './submissions/submission-moderation.service.js';
import { SubmissionsController } from './submissions/submissions.controller.js';
import { ADMIN_API_KEY, CACHE_METRICS, RESPONSE_CACHE, SUBMISSION_REPOSITORY, TOOL_REPOSITORY } from './tokens.js';
import { ToolDirectoryService, type CacheObserver } from './tools/tool-directory.service.js';
import { ToolsController } from './tools/tools.controller.js';

export interface AppModuleDeps {
  tools: ToolRepository;
  cache: ResponseCache;
  adminApiKey: string | undefined;
  observeCache: CacheObserver;
}

/** The Nest module of the API; its resources are opened by the caller and passed in. */
@Module({})
export class AppModule {
  static forRoot(deps: AppModuleDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [ToolsController, SubmissionsController, DocsController],
      providers: [
        { provide: TOOL_REPOSITORY, useValue: deps.tools },
        { provide: SUBMISSION_REPOSITORY, useValue: deps.tools.submissions() },
        { provide: RESPONSE_CACHE, useValue: deps.cache },
        { provide: ADMIN_API_KEY, useValue: deps.adminApiKey ?? null },
        { provide: CACHE_METRICS, useValue: deps.observeCache },
        ToolDirectoryService,
        SubmissionModerationService,
        AdminKeyGuard,
      ],
    };
  }
}
