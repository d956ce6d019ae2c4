import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runTool } from '../../src/check/tools.ts';
import { globalShape, httpConfig, integrationShapes, newerKeys, type Shape } from '../../src/model/integrations.ts';

// The table of Alertmanager 0.25's integrations and global settings is checked against the real
// amtool 0.25: every key it lists loads, and every key it names as a newer release's does not
// (amtool then names the field). A wrong entry would let import write a configuration that
// Alertmanager 0.25 rejects, or refuse one it reads.

const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-integrations-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** What a valid configuration needs besides the key under test. */
const required: Record<string, object> = {
  email: { to: 'team@example.com' },
  pagerduty: { routing_key_file: '/secrets/key' },
  slack: { api_url_file: '/secrets/url' },
  webhook: { url: 'http://example.com/' },
  opsgenie: { api_key_file: '/secrets/key', api_url: 'http://example.com/' },
  wechat: { api_url: 'http://example.com/', corp_id: 'corp', api_secret: 'not-checked-here' },
  victorops: { api_key_file: '/secrets/key', routing_key: 'team', api_url: 'http://example.com/' },
  pushover: { user_key: 'not-checked-here', token: 'not-checked-here' },
  sns: { topic_arn: 'arn:aws:sns:us-east-1:1:t', sigv4: { region: 'us-east-1' } },
  telegram: { bot_token: 'not-checked-here', chat_id: 1 },
  webex: { room_id: 'room', api_url: 'http://example.com/', http_config: { authorization: { credentials_file: '/secrets/token' } } },
  discord: { webhook_url: 'http://example.com/' },
};

/** A value of each kind that Alertmanager's own validation accepts. */
function sample(kind: unknown, key: string): unknown {
  if (Array.isArray(kind)) return [sampleShape(kind[0] as Shape)];
  if (typeof kind === 'object') return sampleShape(kind as Shape);
  if (key === 'smarthost' || key === 'smtp_smarthost') return 'smtp.example.com:25';
  if (key === 'min_version' || key === 'max_version') return 'TLS12';
  if (key === 'message_type') return 'text';
  if (key === 'parse_mode') return 'HTML';
  if (key === 'type') return 'team';
  return {
    string: 'x',
    url: 'http://example.com/',
    bool: true,
    int: 1,
    duration: '1m',
    file: '/secrets/x',
    strings: ['x'],
    map: { a: 'b' },
  }[kind as string];
}
const sampleShape = (shape: Shape): object => Object.fromEntries(Object.entries(shape).map(([key, kind]) => [key, sample(kind, key)]));

async function amtool(config: object): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'config-'));
  await writeFile(path.join(dir, 'alertmanager.yml'), stringify(config));
  const result = await runTool('amtool', ['check-config', 'alertmanager.yml'], dir);
  return result.ok ? 'ok' : result.output;
}

const withReceiver = (receiver: object, global: object = {}): object => ({
  global: { smtp_from: 'am@example.com', smtp_smarthost: 'smtp.example.com:25', ...global },
  route: { receiver: 'r' },
  receivers: [{ name: 'r', ...receiver }],
});

describe('the Alertmanager 0.25 table', () => {
  it('holds only keys amtool 0.25 knows, in every integration and the global settings', async () => {
    // One key at a time: some exclude each other (basic_auth and authorization), which is Alertmanager's to check.
    const probes: [string, object][] = [
      ...Object.entries(integrationShapes).flatMap(([type, shape]) =>
        Object.entries(shape as Shape).map(([key, kind]): [string, object] => [
          `${type}.${key}`,
          withReceiver({ [`${type}_configs`]: [{ ...required[type], [key]: sample(kind, key) }] }),
        ]),
      ),
      ...Object.entries(globalShape as Shape).map(([key, kind]): [string, object] => [
        `global.${key}`,
        withReceiver({}, { [key]: sample(kind, key) }),
      ]),
      ...Object.entries(httpConfig as Shape).map(([key, kind]): [string, object] => [
        `http_config.${key}`,
        withReceiver({ webhook_configs: [{ url: 'http://example.com/', http_config: { [key]: sample(kind, key) } }] }),
      ]),
    ];
    const unknown: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < probes.length; index = next++) {
        const [name, config] = probes[index]!;
        if (/not found in type/.test(await amtool(config))) unknown.push(name);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(probes.length).toBeGreaterThan(150);
    expect(unknown).toEqual([]);
  }, 120_000);

  it('names keys of newer releases that amtool 0.25 does not know', async () => {
    const accepted: string[] = [];
    const place = (where: string, key: string): object => {
      if (where === 'config') return { ...withReceiver({}), [key]: { x: 'y' } };
      if (where === 'receiver') return withReceiver({ [key]: [{}] });
      if (where === 'global') return withReceiver({}, { [key]: 'http://example.com/' });
      if (where === 'http_config') return withReceiver({ webhook_configs: [{ url: 'http://example.com/', http_config: { [key]: 'x' } }] });
      return withReceiver({ [`${where}_configs`]: [{ ...required[where], [key]: 'x' }] });
    };
    for (const [where, keys] of Object.entries(newerKeys)) {
      for (const key of Object.keys(keys))
        if (!/not found in type|field .* not found/.test(await amtool(place(where, key)))) accepted.push(`${where}.${key}`);
    }
    expect(accepted).toEqual([]);
  }, 120_000);
});
