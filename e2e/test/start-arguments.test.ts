import { describe, expect, it } from 'vitest';
import { startArguments } from '../../scripts/start-arguments.mjs';

// `npm start -- ARGS` runs `stack ...startArguments(ARGS)`: the development environment, whose
// settings live in .env.development, unless the developer chose another one.
describe('npm start arguments', () => {
  it('runs the development environment, so .env.development applies', () => {
    expect(startArguments([], {})).toEqual(['--env', 'development', 'up']);
    expect(startArguments(['--profile', 'monitoring', '-d'], {})).toEqual(['--env', 'development', 'up', '--profile', 'monitoring', '-d']);
  });

  it('leaves the choice to an environment given on the command line or in STACK_ENV', () => {
    expect(startArguments(['--env', 'staging'], {})).toEqual(['up', '--env', 'staging']);
    expect(startArguments(['--env=testing'], {})).toEqual(['up', '--env=testing']);
    expect(startArguments(['--profile', 'production'], {})).toEqual(['up', '--profile', 'production']);
    expect(startArguments(['--profile=staging'], {})).toEqual(['up', '--profile=staging']);
    expect(startArguments([], { STACK_ENV: 'production' })).toEqual(['up']);
  });
});
