import { expect, it } from 'vitest';
import { until } from '../../testing/call-queue-harness';
import { describeWithRedis } from '../../testing/redis-server';
import { connectRedis } from './redis-client';

describeWithRedis('connectRedis', (server) => {
  it('tells onError when Redis goes away after start-up', async () => {
    const heard: string[] = [];
    const client = await connectRedis(server().url, { onError: (error) => heard.push(error.message) });
    try {
      expect(await client.ping()).toBe('PONG');
      expect(heard).toEqual([]);
      await server().stop();
      await until(() => expect(heard.length).toBeGreaterThan(0));
      expect(heard[0]).toMatch(/Socket closed unexpectedly|ECONNREFUSED|ECONNRESET/);
    } finally {
      client.destroy();
    }
  });
});
