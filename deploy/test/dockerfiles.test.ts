import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebEnv } from '../../web/src/lib/env';
import { DEPLOY, REPO } from './overlays';

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions, continuation lines joined, comments dropped, split into stages. */
function stagesOf(path: string): Instruction[][] {
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [keyword = '', ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  return stages;
}

const WORKSPACES = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] })
  .workspaces;
const DOCKERFILES = ['server', 'web'].map((name) => ({ name, path: join(DEPLOY, `docker/${name}.Dockerfile`) }));

describe.each(DOCKERFILES)('the $name Dockerfile', ({ path }) => {
  const stages = stagesOf(path);
  const all = stages.flat();

  it('starts every stage from Node 20 on Debian bookworm', () => {
    for (const [from] of stages) expect(from?.args).toMatch(/^node:20-bookworm-slim( AS \w+)?$/);
  });

  it("copies the lock file and every workspace's package.json before npm ci", () => {
    for (const stage of stages) {
      const ci = stage.findIndex((i) => i.keyword === 'RUN' && i.args.includes('npm ci'));
      if (ci < 0) continue;
      const copied = stage.slice(0, ci).flatMap((i) => (i.keyword === 'COPY' ? i.args.split(' ').slice(0, -1) : []));
      expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
      for (const workspace of WORKSPACES) expect(copied, workspace).toContain(`${workspace}/package.json`);
      expect(stage[ci]?.args).toContain('--ignore-scripts');
    }
  });

  it('copies only what exists in the repository', () => {
    for (const { args } of all.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
      for (const source of args.split(' ').slice(0, -1)) expect(existsSync(join(REPO, source)), source).toBe(true);
    }
  });

  it('runs as a numeric non-root user', () => {
    const user = all.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
  });
});

describe('the server image', () => {
  const all = stagesOf(join(DEPLOY, 'docker/server.Dockerfile')).flat();

  it('starts reVo from its sources with the tsx loader, serving by default on port 4000', () => {
    const entrypoint = JSON.parse(all.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '[]') as string[];
    expect(entrypoint.slice(0, 3)).toEqual(['node', '--import', '/usr/local/lib/node_modules/tsx/dist/loader.mjs']);
    expect(existsSync(join(REPO, entrypoint[3] ?? ''))).toBe(true);
    expect(JSON.parse(all.find((i) => i.keyword === 'CMD')?.args ?? '[]')).toEqual(['serve']);
    expect(all.find((i) => i.keyword === 'EXPOSE')?.args).toBe('4000');
    expect(all.find((i) => i.keyword === 'ENV' && i.args.includes('PORT='))?.args).toMatch(/PORT=4000/);
  });
});

describe('the web image', () => {
  const stages = stagesOf(join(DEPLOY, 'docker/web.Dockerfile'));

  it('takes the API address as a build argument the web app reads, with a valid default', () => {
    const args = stages.flat().filter((i) => i.keyword === 'ARG');
    expect(args.map((a) => a.args.split('=')[0])).toEqual(['NEXT_PUBLIC_REVO_API']);
    const [, value] = args[0]?.args.split(/=(.*)/s) ?? [];
    expect(parseWebEnv({ NEXT_PUBLIC_REVO_API: value }).apiUrl).toBe(value);
  });

  it('ships only the web workspace without dev tools, serving the page its probes ask for', () => {
    const last = stages.at(-1) ?? [];
    expect(last.find((i) => i.keyword === 'RUN')?.args).toMatch(/npm ci --workspace=@revo\/web --omit=dev/);
    expect(last.find((i) => i.keyword === 'EXPOSE')?.args).toBe('3000');
    expect(existsSync(join(REPO, 'web/src/app/chat/page.tsx'))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output and secrets out of the build context', () => {
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/.next', '**/.env', '**/secrets.env']));
  });
});
