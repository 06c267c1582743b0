import { describe, expect, it } from 'vitest';
import { applyJsonPatch, strategicMerge } from './patch';

const pod = () => ({
  containers: [
    { name: 'a', image: 'a:1', args: ['x', 'y'], env: [{ name: 'K', value: '1' }] },
    { name: 'b', image: 'b:1' },
  ],
  volumes: [{ name: 'tmp', emptyDir: {} }],
});

describe('strategicMerge', () => {
  it('merges containers and env by name, replaces other lists and deletes on null', () => {
    const target = pod();
    strategicMerge(target, {
      containers: [
        {
          name: 'a',
          args: ['z'],
          env: [
            { name: 'K', value: '2' },
            { name: 'L', value: '3' },
          ],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: null, hostPath: { path: '/x' } }],
    });
    expect(target.containers[0]).toEqual({
      name: 'a',
      image: 'a:1',
      args: ['z'],
      env: [
        { name: 'K', value: '2' },
        { name: 'L', value: '3' },
      ],
    });
    expect(target.containers[1]).toEqual({ name: 'b', image: 'b:1' });
    expect(target.volumes).toEqual([{ name: 'tmp', hostPath: { path: '/x' } }]);
  });

  it('removes an item marked $patch: delete and refuses other directives', () => {
    const target = pod();
    strategicMerge(target, { containers: [{ name: 'b', $patch: 'delete' }] });
    expect(target.containers.map((c) => c.name)).toEqual(['a']);
    expect(() => strategicMerge(pod(), { $retainKeys: ['x'] })).toThrow(/not supported/);
    expect(() => strategicMerge(pod(), { containers: [{ image: 'no-name' }] })).toThrow(/merge key/);
  });
});

describe('applyJsonPatch', () => {
  it('adds, replaces, removes and tests by JSON pointer', () => {
    const target = { spec: { rules: [{ host: 'a' }], 'a/b': 1 } };
    applyJsonPatch(target, [
      { op: 'test', path: '/spec/rules/0/host', value: 'a' },
      { op: 'replace', path: '/spec/rules/0/host', value: 'b' },
      { op: 'add', path: '/spec/rules/-', value: { host: 'c' } },
      { op: 'remove', path: '/spec/a~1b' },
    ]);
    expect(target).toEqual({ spec: { rules: [{ host: 'b' }, { host: 'c' }] } });
  });

  it('fails on a path that is not there, a failed test and an unknown operation', () => {
    expect(() => applyJsonPatch({ spec: {} }, [{ op: 'replace', path: '/spec/replicas', value: 3 }])).toThrow(
      /replicas/,
    );
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/differs/);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'move', path: '/a' }])).toThrow(/unsupported/);
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'add', path: '/a/3', value: 1 }])).toThrow(/out of range/);
  });
});
