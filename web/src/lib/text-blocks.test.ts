import { describe, expect, it } from 'vitest';
import { inlineParts, toBlocks } from './text-blocks';

describe('toBlocks', () => {
  it('splits paragraphs at blank lines and keeps fenced code whole', () => {
    const text = 'Intro line\nsecond line\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\nAfter';
    expect(toBlocks(text)).toEqual([
      { kind: 'paragraph', text: 'Intro line\nsecond line' },
      { kind: 'code', lang: 'ts', text: 'const a = 1;\n\nconst b = 2;' },
      { kind: 'paragraph', text: 'After' },
    ]);
  });

  it('treats an unclosed fence as code to the end, as while streaming', () => {
    expect(toBlocks('Code:\n```ts\nexport function solve(')).toEqual([
      { kind: 'paragraph', text: 'Code:' },
      { kind: 'code', lang: 'ts', text: 'export function solve(' },
    ]);
  });

  it('gives nothing for blank text', () => {
    expect(toBlocks('  \n\n ')).toEqual([]);
  });
});

describe('inlineParts', () => {
  it('marks the text between single backticks as code', () => {
    expect(inlineParts('use `npm test` now')).toEqual([
      { code: false, text: 'use ' },
      { code: true, text: 'npm test' },
      { code: false, text: ' now' },
    ]);
    expect(inlineParts('no code')).toEqual([{ code: false, text: 'no code' }]);
  });
});
