import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ERROR_CODES, HttpError, type FieldError } from '@codiesvibe/shared';
import type { Tool } from '@codiesvibe/shared/domain';
import {
  decodeApproveSubmission,
  decodeRejectSubmission,
  decodeSubmissionEdit,
  decodeSubmissionId,
  decodeSubmissionInput,
  decodeSubmissionStatus,
  type Decoded,
  type Submission,
  type SubmissionList,
  type SubmissionReceipt,
} from '@codiesvibe/shared/tools-api';
import { AdminKeyGuard } from '../http/admin-key.guard.js';
import { SubmissionModerationService } from './submission-moderation.service.js';

function valueOf<T>(decoded: Decoded<T>): T {
  if (decoded.ok) return decoded.value;
  const errors: FieldError[] = decoded.errors;
  const summary = errors.map((error) => `${error.field} ${error.message}`).join('; ');
  throw new HttpError(400, ERROR_CODES.VALIDATION, `Invalid request: ${summary}`, errors);
}

/** `/api/submissions`: anyone suggests a tool; admins (Bearer key) moderate the queue. */
@Controller('api/submissions')
export class SubmissionsController {
  constructor(@Inject(SubmissionModerationService) private readonly moderation: SubmissionModerationService) {}

  @Post()
  @HttpCode(201)
  async submit(@Body() body: unknown): Promise<SubmissionReceipt> {
    return (await this.moderation.submit(valueOf(decodeSubmissionInput(body)))).receipt;
  }

  @Get()
  @UseGuards(AdminKeyGuard)
  list(@Query() query: unknown): Promise<SubmissionList> {
    return this.moderation.list(valueOf(decodeSubmissionStatus(query)));
  }

  @Get(':id')
  @UseGuards(AdminKeyGuard)
  get(@Param('id') id: string): Promise<Submission> {
    return this.moderation.get(valueOf(decodeSubmissionId(id)));
  }

  @Patch(':id')
  @UseGuards(AdminKeyGuard)
  edit(@Param('id') id: string, @Body() body: unknown): Promise<Submission> {
    return this.moderation.edit(valueOf(decodeSubmissionId(id)), valueOf(decodeSubmissionEdit(body)));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  approve(@Param('id') id: string, @Body() body: unknown): Promise<{ submission: Submission; tool: Tool }> {
    const { tool } = valueOf(decodeApproveSubmission(body));
    return this.moderation.approve(valueOf(decodeSubmissionId(id)), tool);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  reject(@Param('id') id: string, @Body() body: unknown): Promise<Submission> {
    return this.moderation.reject(valueOf(decodeSubmissionId(id)), valueOf(decodeRejectSubmission(body)).reason);
  }
}
