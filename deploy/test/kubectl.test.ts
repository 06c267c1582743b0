import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { kustomize } from '../tools/kustomize';
import { type Manifest, asManifest } from '../tools/manifest';
import { K8S, OVERLAYS } from './overlays';

const version = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
const kubectl = version.status === 0 && /Kustomize Version/.test(version.stdout);

function byId(objects: Manifest[]) {
  const id = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return [...objects].sort((a, b) => id(a).localeCompare(id(b)));
}

/** A cross-check where kubectl is installed; the renderer's own tests and the manifest checks never need it. */
describe.skipIf(!kubectl)('the renderer next to kubectl kustomize', () => {
  // A copy of deploy/k8s with the example as prod's secrets.env, so neither side reads real secrets.
  const copy = mkdtempSync(join(tmpdir(), 'revo-k8s-'));
  cpSync(K8S, copy, { recursive: true });
  copyFileSync(join(copy, 'overlays/prod/secrets.env.example'), join(copy, 'overlays/prod/secrets.env'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each(OVERLAYS)('renders %s object for object as kubectl does', (overlay) => {
    const run = spawnSync('kubectl', ['kustomize', join(copy, overlay)], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const theirs = parseAllDocuments(run.stdout).map((d, i) => asManifest(d.toJS(), `document ${i}`));
    expect(byId(kustomize(join(copy, overlay)))).toEqual(byId(theirs));
  });
});
