import { describe, expect, it } from 'vitest';
import { formatDuration, parseBytes, parseDuration, splitShellWords } from './units.js';

describe('durations', () => {
  it.each([
    ['1m30s', '1m30s'],
    ['500ms', '500ms'],
    ['120s', '2m0s'],
    ['2h', '2h0m0s'],
    ['1.5s', '1.5s'],
    ['90ns', '90ns'],
    ['1d', '24h0m0s'],
    ['0', '0s'],
  ])('%s prints as %s', (input, output) => {
    expect(formatDuration(parseDuration(input))).toBe(output);
  });

  it('refuses text that is not a duration', () => {
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
    expect(() => parseDuration('90')).toThrow(/invalid duration/);
  });
});

describe('parseBytes', () => {
  it.each([
    ['512M', 536870912],
    ['1G', 1073741824],
    ['128mb', 134217728],
    ['64k', 65536],
    ['1024', 1024],
    [2048, 2048],
  ])('%s = %d bytes', (input, bytes) => {
    expect(parseBytes(input)).toBe(bytes);
  });

  it('refuses an unknown unit', () => {
    expect(() => parseBytes('12 parsecs')).toThrow(/invalid size/);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['npm run web', ['npm', 'run', 'web']],
    ['sh -c "echo $HOME && ls"', ['sh', '-c', 'echo $HOME && ls']],
    ["echo 'a b' c\\ d", ['echo', 'a b', 'c d']],
    ['  spaced   out ', ['spaced', 'out']],
    ['', []],
    ['npm install && npm start', ['npm', 'install']],
    ['run.sh 2>&1 | tee log', ['run.sh']],
    ['echo "" \'\' x', ['echo', '', '', 'x']],
    ['echo $(date) `id`', ['echo', '$(date)', '`id`']],
  ])('%j', (line, words) => {
    expect(splitShellWords(line)).toEqual(words);
  });

  it.each(['echo "open', 'echo (sub)', 'echo $(unclosed', 'echo `open'])('refuses %j', (line) => {
    expect(() => splitShellWords(line)).toThrow('invalid command line string');
  });
});
