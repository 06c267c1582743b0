import { describe, expect, it } from 'vitest';
import type { Manifest } from './manifest';
import { validateObjects } from './validate-objects';

function deployment(container: Record<string, unknown>, spec: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [container] } },
      ...spec,
    },
  };
}

const GOOD = { name: 'app', image: 'app:1', resources: { limits: { cpu: '500m', memory: '1Gi' } } };

describe('validateObjects', () => {
  it('accepts a valid Deployment', async () => {
    expect(await validateObjects([deployment(GOOD)])).toEqual([]);
  });

  it('rejects a wrong type, a missing required field and a malformed quantity', async () => {
    const [replicas] = await validateObjects([deployment(GOOD, { replicas: 'three' })]);
    expect(replicas).toMatch(/Deployment\/app: .*spec\/replicas must be integer/);
    const [name] = await validateObjects([deployment({ image: 'app:1' })]);
    expect(name).toMatch(/containers\/0 must have required property name/);
    const [quantity] = await validateObjects([deployment({ ...GOOD, resources: { limits: { cpu: 'lots' } } })]);
    expect(quantity).toMatch(/limits\/cpu must match format "quantity"/);
  });

  it('rejects an unknown field, however deep (the schemas alone let it through)', async () => {
    const problems = await validateObjects([deployment({ ...GOOD, imagePullPolcy: 'Always' })]);
    expect(problems).toEqual([expect.stringMatching(/Deployment\/app: .*'"imagePullPolcy"' does not exist/)]);
  });

  it('rejects a kind or version it has no schema for', async () => {
    const problems = await validateObjects([{ ...deployment(GOOD), apiVersion: 'apps/v1beta9' }]);
    expect(problems).toEqual(['Deployment/app: no schema for apps/v1beta9 Deployment']);
  });
});
