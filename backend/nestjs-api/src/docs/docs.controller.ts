import { Controller, Get, Header } from '@nestjs/common';
import { DOCS_PAGE } from './docs-page.js';
import { buildOpenApiDocument } from './openapi.js';

/** `/api/docs`: the API's own description, built once at start. */
@Controller('api/docs')
export class DocsController {
  readonly #document = JSON.stringify(buildOpenApiDocument());

  @Get('openapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  openApi(): string {
    return this.#document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
  page(): string {
    return DOCS_PAGE;
  }
}
