import { describe, expect, it } from 'vitest';
import { firstShellOperator } from './no-shell-operators.rule.js';

describe('firstShellOperator: where Compose stops splitting a command string', () => {
  it('finds the first operator outside quotes, doubled ones whole', () => {
    expect(firstShellOperator('npm ci && npm start')).toMatchObject({ operator: '&&', index: 7 });
    expect(firstShellOperator('a; b')).toMatchObject({ operator: ';', index: 1 });
    expect(firstShellOperator('server | tee log')).toMatchObject({ operator: '|', index: 7 });
    expect(firstShellOperator('server >> /tmp/log')).toMatchObject({ operator: '>>', index: 7 });
    expect(firstShellOperator('run <input')).toMatchObject({ operator: '<', index: 4 });
  });

  it('reads quoted and escaped operators as plain text, as the splitter does', () => {
    expect(firstShellOperator('sh -c "npm ci && npm start"')).toBeUndefined();
    expect(firstShellOperator("sh -c 'a | b; c'")).toBeUndefined();
    expect(firstShellOperator('echo a \\&\\& b')).toBeUndefined();
    expect(firstShellOperator('echo "say \\" && more" ; next')).toMatchObject({ operator: ';', index: 22 });
  });

  it('finds nothing in a plain command', () => {
    expect(firstShellOperator('node dist/main.js --port 3000')).toBeUndefined();
    expect(firstShellOperator('')).toBeUndefined();
  });
});
