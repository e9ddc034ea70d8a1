import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function capture() {
  const out: string[] = [];
  return { out, io: { stdout: (text: string) => void out.push(text), stderr: () => undefined, cwd: '/', env: {} } };
}

describe('stack --version', () => {
  it.each([['--version'], ['-v'], ['version']])('%s prints the package version', async (flag) => {
    const { out, io } = capture();
    expect(await runCli([flag], io)).toBe(0);
    expect(out.join('')).toBe(`stack version ${manifest.version} (node ${process.version})\n`);
  });

  it('version --short prints the number alone', async () => {
    const { out, io } = capture();
    expect(await runCli(['version', '--short'], io)).toBe(0);
    expect(out.join('')).toBe(`${manifest.version}\n`);
  });
});
