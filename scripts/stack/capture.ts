// Stands in for Slack, PagerDuty, e-mail and the SMS gateway: one HTTP endpoint per receiver
// (`/receiver/<name>`) that records every Alertmanager notification it is sent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Notification {
  readonly receiver: string;
  readonly receivedAt: number;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly { status: string; labels: Record<string, string>; startsAt: string }[];
}

export interface Capture {
  readonly url: string;
  readonly notifications: Notification[];
  /** Resolves with the first notification matching `accept`, or rejects after `timeoutMs`. */
  waitFor(accept: (notification: Notification) => boolean, timeoutMs: number, what: string): Promise<Notification>;
  close(): Promise<void>;
}

export async function startCapture(host = '127.0.0.1', port = 0): Promise<Capture> {
  const notifications: Notification[] = [];
  const waiters: { accept: (notification: Notification) => boolean; resolve: (notification: Notification) => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receiver = decodeURIComponent((request.url ?? '').replace(/^\/receiver\//, ''));
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Notification, 'receiver' | 'receivedAt'>;
        const notification: Notification = { receiver, receivedAt: Date.now(), status: body.status, alerts: body.alerts };
        notifications.push(notification);
        for (const waiter of waiters.filter((each) => each.accept(notification))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(notification);
        }
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    notifications,
    waitFor: (accept, timeoutMs, what) => {
      const seen = notifications.find(accept);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          accept,
          resolve: (notification: Notification) => {
            clearTimeout(timer);
            resolve(notification);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `no notification ${what} within ${timeoutMs / 1000}s; received: ${JSON.stringify(notifications.map((each) => [each.receiver, each.status, each.alerts.map((alert) => alert.labels.alertname)]))}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
