import { expect, it } from 'vitest';
import { until } from '../../testing/call-queue-harness';
import { describeWithRedis, startRedisServer } from '../../testing/redis-server';
import { connectRedis } from './redis-client';

describeWithRedis('connectRedis', (server) => {
  it('tells onError when Redis goes away after start-up, and onReconnect when it is back', async () => {
    const heard: string[] = [];
    const client = await connectRedis(server().url, {
      onError: (error) => heard.push(error.message),
      onReconnect: () => heard.push('connected again'),
    });
    const { port } = server();
    try {
      expect(await client.ping()).toBe('PONG');
      expect(heard).toEqual([]);
      await server().stop();
      await until(() => expect(heard.length).toBeGreaterThan(0));
      expect(heard[0]).toMatch(/Socket closed unexpectedly|ECONNREFUSED|ECONNRESET/);
      expect(heard).not.toContain('connected again');
      const again = await startRedisServer(port);
      try {
        await until(() => expect(heard.at(-1)).toBe('connected again'));
        expect(await client.ping()).toBe('PONG');
      } finally {
        await again.stop();
      }
    } finally {
      client.destroy();
    }
  });
});
