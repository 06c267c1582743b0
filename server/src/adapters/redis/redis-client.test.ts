import { createClient } from 'redis';
import { expect, it, vi } from 'vitest';
import { type RedisClient, connectWithin, quietly } from './redis-client';

it('leaves a client it gave up on able to hear a late error without crashing the process', async () => {
  // Port 1 on loopback: nothing listens there, so every attempt is refused.
  const client = createClient({ url: 'redis://127.0.0.1:1' }) as RedisClient;
  await expect(connectWithin(client, 'port 1', 300)).rejects.toThrow(/cannot connect to Redis at port 1 within 300 ms/);
  expect(client.isOpen).toBe(false);
  // An 'error' event nobody listens to is thrown by emit(), and from a socket callback it would
  // end the process.
  expect(client.listenerCount('error')).toBeGreaterThan(0);
  expect(() => client.emit('error', new Error('a socket error arriving after destroy()'))).not.toThrow();
});

it('reports a reconnecting client’s error once, and again only when it changes or time has passed', () => {
  const lines: string[] = [];
  let now = 1_000_000;
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
  try {
    const report = quietly((line) => lines.push(line), 'redis x', 30_000);
    report(new Error('Socket closed unexpectedly'));
    report(new Error('connect ECONNREFUSED'));
    report(new Error('connect ECONNREFUSED'));
    now += 29_999;
    report(new Error('connect ECONNREFUSED'));
    now += 1;
    report(new Error('connect ECONNREFUSED'));
    expect(lines).toEqual([
      'redis x: Socket closed unexpectedly (reconnecting)',
      'redis x: connect ECONNREFUSED (reconnecting)',
      'redis x: connect ECONNREFUSED (reconnecting)',
    ]);
  } finally {
    spy.mockRestore();
  }
});
