import { stringify } from 'yaml';
import { kustomize } from './kustomize';
import { validateObjects } from './validate-objects';

/**
 * `npm run render -w @revo/deploy -- <overlay dir> [--validate]`: prints an overlay's objects as
 * `kubectl kustomize` would, where kubectl is not installed; `--validate` checks them against the
 * Kubernetes schemas instead and prints what is wrong.
 */
async function main(args: string[]): Promise<number> {
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: render <kustomization dir> [--validate]\n');
    return 2;
  }
  const objects = kustomize(dir);
  if (!args.includes('--validate')) {
    process.stdout.write(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
    return 0;
  }
  const problems = await validateObjects(objects);
  for (const p of problems) process.stdout.write(`${p}\n`);
  process.stderr.write(`${objects.length} objects, ${problems.length} problems\n`);
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`render: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
