/**
 * Runs at most `concurrency` of the tasks given to it at once, the others waiting their turn in
 * order: a server asked thousands of questions is asked a few at a time.
 */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot to the next waiting one, so none can slip in between.
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const turn = waiting.shift();
      if (turn) turn();
      else running -= 1;
    }
  };
}
