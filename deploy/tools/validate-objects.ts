import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { type Manifest, idOf } from './manifest';

interface Model {
  validate(): void;
}

async function modelOf(object: Manifest): Promise<(new (data: unknown) => Model) | undefined> {
  try {
    const specifier = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    const module = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    return module[object.kind] as (new (data: unknown) => Model) | undefined;
  } catch {
    return undefined;
  }
}

/** Where the generated check file pretends to live, so `kubernetes-models` resolves from deploy/. */
const CHECK_FILE = fileURLToPath(new URL('../__manifest-fields__.ts', import.meta.url));

/**
 * Unknown fields, which the schemas let through (they do not close their objects): each object is
 * written as a typed object literal and TypeScript's excess-property check names any field the
 * kind's interface does not have, at any depth.
 */
function unknownFields(objects: Manifest[]): string[] {
  const header = objects.map(
    (o, i) => `import type { I${o.kind} as T${i} } from 'kubernetes-models/${o.apiVersion}/${o.kind}';`,
  );
  const body = objects.map((o, i) => `export const o${i}: T${i} = ${JSON.stringify(o)};`);
  const text = [...header, ...body].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === CHECK_FILE ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === CHECK_FILE || fileExists.call(host, name);
  host.readFile = (name) => (name === CHECK_FILE ? text : readFile.call(host, name));
  const program = ts.createProgram([CHECK_FILE], options, host);
  const file = program.getSourceFile(CHECK_FILE);
  if (!file) throw new Error('the generated check file did not load');
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
    const line = d.start === undefined ? -1 : file.getLineAndCharacterOfPosition(d.start).line;
    const object = objects[line - header.length];
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return `${object ? idOf(object) : `line ${line + 1}`}: ${message}`;
  });
}

/**
 * Checks objects against the Kubernetes API schemas shipped by `kubernetes-models`: types, formats
 * (quantities, ports), required fields and enums through each kind's validator, unknown fields
 * through its TypeScript interface. Returns one line per problem, none when all are valid.
 */
export async function validateObjects(objects: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  const known: Manifest[] = [];
  for (const object of objects) {
    const Model = await modelOf(object);
    if (!Model) {
      problems.push(`${idOf(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    known.push(object);
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${idOf(object)}: ${(error as Error).message}`);
    }
  }
  if (known.length > 0) problems.push(...unknownFields(known));
  return problems;
}
