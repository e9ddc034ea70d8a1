import { Controller, Get, Header } from '@nestjs/common';
import { buildToolsApiOpenApi } from '@codiesvibe/shared/tools-api';
import { DOCS_PAGE } from './docs-page.js';

/** `/api/docs`: the API's own description, generated from the shared contract once at start. */
@Controller('api/docs')
export class DocsController {
  readonly #document = JSON.stringify(buildToolsApiOpenApi());

  @Get('openapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  openApi(): string {
    return this.#document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header(
    'content-security-policy',
    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  )
  page(): string {
    return DOCS_PAGE;
  }
}
