import { describe, expect, it } from 'vitest';
import { DeadlineSweeper } from './deadline-sweeper.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeadlineSweeper', () => {
  it('calls a past-due item once, leaves the others, and stops when nothing is watched', async () => {
    const sweeper = new DeadlineSweeper(5);
    const fired: string[] = [];
    const due = { deadlineAt: Date.now() + 20, onDeadline: () => fired.push('due') };
    const later = { deadlineAt: Date.now() + 60_000, onDeadline: () => fired.push('later') };
    sweeper.watch(due);
    sweeper.watch(later);
    await pause(80);
    expect(fired).toEqual(['due']);
    expect(due.deadlineAt).toBe(Number.POSITIVE_INFINITY);
    sweeper.unwatch(due);
    expect(sweeper.running).toBe(true);
    sweeper.unwatch(later);
    expect(sweeper.running).toBe(false);
  });
});
