import { describe, expect, it } from 'vitest';
import { applyEnvironmentDefaults, parseArguments, UsageError, type OptionSpec } from './arg-parser.js';

const specs: OptionSpec[] = [
  { name: 'file', short: 'f', type: 'list', description: '' },
  { name: 'format', type: 'string', choices: ['yaml', 'json'], description: '' },
  { name: 'quiet', short: 'q', type: 'boolean', description: '' },
  { name: 'debug', type: 'boolean', env: 'STACK_DEBUG', description: '' },
  { name: 'env', type: 'string', env: 'STACK_ENV', description: '' },
];

describe('parseArguments', () => {
  it('reads long, short, attached and repeated options anywhere', () => {
    const parsed = parseArguments(['-f', 'a.yml', 'config', '--file=b.yml', '-fc.yml', '--format', 'json', '-q', 'web'], specs);
    expect(parsed.options).toEqual({ file: ['a.yml', 'b.yml', 'c.yml'], format: 'json', quiet: true });
    expect(parsed.positionals).toEqual(['config', 'web']);
  });

  it('stops at the first positional when asked, leaving the rest unparsed', () => {
    const parsed = parseArguments(['-f', 'a.yml', 'up', '--nope', '-q'], specs, { stopAtPositional: true });
    expect(parsed).toEqual({ options: { file: ['a.yml'] }, positionals: ['up'], rest: ['--nope', '-q'] });
  });

  it('stops at --', () => {
    expect(parseArguments(['--', '-q'], specs).positionals).toEqual(['-q']);
  });

  it.each([
    [['--nope'], 'unknown flag: --nope'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['--format'], 'option --format needs a value'],
    [['--format', 'xml'], 'option --format must be one of yaml, json (got "xml")'],
    [['--quiet=maybe'], 'option --quiet takes true or false, not "maybe"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArguments(argv, specs)).toThrow(UsageError);
    expect(() => parseArguments(argv, specs)).toThrow(message);
  });

  it('takes options not given from their environment variables', () => {
    const parsed = parseArguments(['--env', 'staging'], specs);
    applyEnvironmentDefaults(parsed.options, specs, { STACK_ENV: 'production', STACK_DEBUG: '1' });
    expect(parsed.options).toEqual({ env: 'staging', debug: true });
  });
});
