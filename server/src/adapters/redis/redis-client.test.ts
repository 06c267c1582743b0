import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { type RedisClient, connectWithin } from './redis-client';

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
