import { describe, expect, it } from 'vitest';
import { compareYamlKeys } from './go-yaml.js';

describe('compareYamlKeys (go-yaml v3 map key order)', () => {
  it('compares runs of digits as numbers', () => {
    expect(['web10', 'web2', 'web'].sort(compareYamlKeys)).toEqual(['web', 'web2', 'web10']);
    expect(['9', '10', '1'].sort(compareYamlKeys)).toEqual(['1', '9', '10']);
  });

  it('puts a non-letter before a letter, except right after a digit, letters of any script alike', () => {
    expect(['api', '_private'].sort(compareYamlKeys)).toEqual(['_private', 'api']);
    expect(['ça', '_x'].sort(compareYamlKeys)).toEqual(['_x', 'ça']);
    expect(['v1_x', 'v1a'].sort(compareYamlKeys)).toEqual(['v1a', 'v1_x']);
    expect(['b', 'a', 'B'].sort(compareYamlKeys)).toEqual(['B', 'a', 'b']);
  });
});
