import { describe, expect, it } from 'vitest';
import { parseStdioArgs, StdioArgsError } from './stdio-args.js';

describe('parseStdioArgs', () => {
  it('lets a flag override its environment twin and keeps the rest of the environment', () => {
    const command = parseStdioArgs(['--tools-api-url', 'http://gateway:4000', '--log-level', 'debug'], {
      TOOLS_API_URL: 'http://ignored:1',
      TOOLS_API_TIMEOUT_MS: '900',
    });
    expect(command).toEqual({
      kind: 'serve',
      env: { TOOLS_API_URL: 'http://gateway:4000', LOG_LEVEL: 'debug', TOOLS_API_TIMEOUT_MS: '900' },
    });
  });

  it('reads help and version', () => {
    expect(parseStdioArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseStdioArgs(['-v'], {})).toEqual({ kind: 'version' });
  });

  it.each([[['--bogus']], [['stray-positional']], [['--tools-api-url']]])(
    'refuses %j in one line',
    (argv) => {
      expect(() => parseStdioArgs(argv, {})).toThrow(StdioArgsError);
      try {
        parseStdioArgs(argv, {});
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    },
  );
});
