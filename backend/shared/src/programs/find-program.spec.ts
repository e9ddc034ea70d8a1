import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProgram } from './find-program.js';

const folder = mkdtempSync(join(tmpdir(), 'find-program-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('findProgram', () => {
  it('finds an executable on PATH, in PATH order', () => {
    writeFileSync(join(folder, 'codiesvibe-probe'), '#!/bin/sh\n');
    chmodSync(join(folder, 'codiesvibe-probe'), 0o755);
    expect(findProgram('codiesvibe-probe', ['/nonexistent', folder].join(delimiter))).toBe(
      join(folder, 'codiesvibe-probe'),
    );
  });

  it('skips a file that is not executable', () => {
    writeFileSync(join(folder, 'codiesvibe-data'), 'x');
    chmodSync(join(folder, 'codiesvibe-data'), 0o644);
    expect(findProgram('codiesvibe-data', folder)).toBeUndefined();
  });

  it('answers undefined for a program nowhere', () => {
    expect(findProgram('codiesvibe-no-such-program')).toBeUndefined();
  });
});
