import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../adapters/redis/redis-client';
import { MISSING_REDIS, findRedisServer, redisOrSkip, startRedisServer } from './redis-server';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('redisOrSkip', () => {
  it('runs when installed, skips when not, and fails when services are required', () => {
    expect(redisOrSkip(true, true)).toBe('run');
    expect(redisOrSkip(false, false)).toBe('skip');
    expect(redisOrSkip(true, false)).toBe('fail');
    expect(MISSING_REDIS).toMatch(/apt-get install -y redis-server/);
  });

  it('finds redis-server only on the PATH it is given', () => {
    expect(findRedisServer('/nonexistent-dir')).toBeUndefined();
  });
});

const mode = redisOrSkip();
(mode === 'skip' ? describe.skip : describe)('startRedisServer', () => {
  it('starts a redis-server of its own that answers, then stops it and removes its data dir', async () => {
    if (mode === 'fail') throw new Error(MISSING_REDIS);
    const server = await startRedisServer();
    let stopped = false;
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      // The pid is the server's own, not a shell's.
      expect(readFileSync(`/proc/${server.pid}/comm`, 'utf8').trim()).toBe('redis-server');
      const client = await connectRedis(server.url);
      expect(await client.ping()).toBe('PONG');
      const dir = (await client.configGet('dir'))['dir'];
      expect(await client.configGet('save')).toEqual({ save: '' });
      expect(await client.configGet('appendonly')).toEqual({ appendonly: 'no' });
      await client.close();
      expect(dir && existsSync(dir)).toBe(true);
      await server.stop();
      stopped = true;
      expect(alive(server.pid)).toBe(false);
      expect(dir && existsSync(dir)).toBe(false);
      await server.stop(); // a second stop is harmless
    } finally {
      if (!stopped) await server.stop();
    }
  });

  it('gives servers started together their own ports', async () => {
    if (mode === 'fail') throw new Error(MISSING_REDIS);
    const servers = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
    try {
      expect(new Set(servers.map((s) => s.port)).size).toBe(3);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    expect(servers.some((s) => alive(s.pid))).toBe(false);
  });
});
