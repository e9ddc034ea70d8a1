import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReportText } from '../../src/validate/format-findings.js';
import { environmentLoader } from '../../src/validate/load-environment.js';
import { runValidation } from '../../src/validate/run-validation.js';
import { globalOptions, recordingIo, REPO_ROOT } from './repo-tree.js';

describe('the repository compose tree', () => {
  it('validates clean in every environment', () => {
    const io = recordingIo(REPO_ROOT);
    const report = runValidation({
      projectDir: REPO_ROOT,
      environments: ['development', 'staging', 'production', 'testing'],
      load: environmentLoader(globalOptions(), io),
    });
    expect(formatReportText(report, REPO_ROOT)).toBe('✔ no problems (environments: development, staging, production, testing)\n');
    // On a fresh clone production has only its .env.production.example: said on stderr.
    if (!existsSync(join(REPO_ROOT, '.env.production'))) expect(io.err.join('')).toContain('using .env.production.example');
  }, 60_000);
});
