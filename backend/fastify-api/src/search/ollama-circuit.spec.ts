import { describe, expect, it } from 'vitest';
import { OllamaCircuit } from './ollama-circuit.js';

describe('OllamaCircuit', () => {
  it('skips Ollama for the cool-down after a failure, then lets one request try again', () => {
    let now = 1000;
    const circuit = new OllamaCircuit(30_000, () => now);
    expect(circuit.closed).toBe(true);
    circuit.recordFailure('Ollama intent failed: timed out');
    expect(circuit.closed).toBe(false);
    expect(circuit.state()).toEqual({ open: true, lastError: 'Ollama intent failed: timed out' });
    now += 30_000;
    expect(circuit.closed).toBe(true);
    circuit.recordSuccess();
    expect(circuit.state()).toEqual({ open: false });
  });
});
