import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/webhook/fifo.ts';

describe('Fifo', () => {
  it('gives back what an array used as a queue gives, across its compactions', () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 50_000; step += 1) {
      const roll = random();
      if (roll < 0.55) {
        fifo.push(next);
        model.push(next++);
      } else if (roll < 0.6) {
        fifo.unshift(next);
        model.unshift(next++);
      } else expect(fifo.shift()).toBe(model.shift());
      expect(fifo.length).toBe(model.length);
    }
    while (model.length > 0) expect(fifo.shift()).toBe(model.shift());
    expect(fifo.shift()).toBeUndefined();
  });
});
