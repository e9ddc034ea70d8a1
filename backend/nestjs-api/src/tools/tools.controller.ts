import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Tool } from '@codiesvibe/shared/domain';
import type { FastifyReply } from 'fastify';
import { AdminKeyGuard } from '../http/admin-key.guard.js';
import { notFound, ToolDirectoryService, type CachedJson } from './tool-directory.service.js';
import { parseFacetFilters, parseListParams, parseSlug, parseToolInput, parseToolPatch } from './tool-params.js';

function sendJson(reply: FastifyReply, result: CachedJson): string | null {
  void reply.type('application/json; charset=utf-8').header('x-cache', result.cache);
  return result.json;
}

/** `/api/tools`: public reads (cached), admin writes (Bearer key). Bodies and queries are validated here. */
@Controller('api/tools')
export class ToolsController {
  constructor(@Inject(ToolDirectoryService) private readonly directory: ToolDirectoryService) {}

  @Get()
  async list(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | null> {
    return sendJson(reply, await this.directory.list(parseListParams(query)));
  }

  @Get('facets')
  async facets(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | null> {
    return sendJson(reply, await this.directory.facets(parseFacetFilters(query)));
  }

  @Get(':slug')
  async detail(@Param('slug') rawSlug: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | null> {
    const slug = parseSlug(rawSlug);
    const result = await this.directory.detail(slug);
    if (result.json === null) throw notFound(slug);
    return sendJson(reply, result);
  }

  @Post()
  @HttpCode(201)
  @UseGuards(AdminKeyGuard)
  create(@Body() body: unknown): Promise<Tool> {
    return this.directory.create(parseToolInput(body));
  }

  @Patch(':slug')
  @UseGuards(AdminKeyGuard)
  update(@Param('slug') rawSlug: string, @Body() body: unknown): Promise<Tool> {
    return this.directory.update(parseSlug(rawSlug), parseToolPatch(body));
  }

  @Delete(':slug')
  @HttpCode(204)
  @UseGuards(AdminKeyGuard)
  async remove(@Param('slug') rawSlug: string): Promise<void> {
    await this.directory.delete(parseSlug(rawSlug));
  }
}
