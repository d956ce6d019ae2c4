import { formatDuration } from '../model/duration.ts';
import { Deadline } from './deadline.ts';

export interface Answer {
  readonly status: number;
  /** At most `maxBytes` of the body. */
  readonly body: Buffer;
  /** The body went on past `maxBytes`; the rest was not read. */
  readonly cut: boolean;
}

export interface CallFailure {
  readonly outcome: 'timeout' | 'interrupted' | 'failure';
  /** `no answer within 10s`, `interrupted by shutdown`, or the error and its cause (`fetch failed: connect ECONNREFUSED …`). */
  readonly detail: string;
}

/**
 * One HTTP request of a run (an action, a verify poll, an escalation): the deadline covers the
 * answer's body too, and at most `maxBytes` of the body are read before the connection is
 * dropped, so neither a slow nor a huge answer can hold a worker or fill the memory.
 */
export async function callHttp(
  url: string | URL,
  init: RequestInit,
  limits: { readonly timeoutMs: number; readonly maxBytes: number; readonly signal: AbortSignal },
): Promise<Answer | CallFailure> {
  const deadline = new Deadline(limits.timeoutMs, limits.signal);
  try {
    const response = await fetch(url, { ...init, signal: deadline.signal });
    return { status: response.status, ...(await readAtMost(response, limits.maxBytes)) };
  } catch (error) {
    const reason = deadline.reason;
    if (reason === 'timeout') return { outcome: reason, detail: `no answer within ${formatDuration(limits.timeoutMs / 1000)}` };
    if (reason) return { outcome: reason, detail: 'interrupted by shutdown' };
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { outcome: 'failure', detail: `${(error as Error).message}${cause ? `: ${cause}` : ''}` };
  } finally {
    deadline.clear();
  }
}

export const failed = (result: Answer | CallFailure): result is CallFailure => 'outcome' in result;

async function readAtMost(response: Response, maxBytes: number): Promise<{ body: Buffer; cut: boolean }> {
  if (!response.body) return { body: Buffer.alloc(0), cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks, size), cut: false };
    if (size + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      // Cancelling the body closes the connection instead of reading the rest of it.
      reader.cancel().catch(() => {});
      return { body: Buffer.concat(chunks, maxBytes), cut: true };
    }
    chunks.push(value);
    size += value.length;
  }
}
