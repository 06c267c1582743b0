import type { RunEvent } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import { type EncodedBatch, createBatchEncoder, tsvLine } from './batch-encoder';
import { bodyBytes, bodyChunks } from './batch-insert';
import { eventRows } from './event-row';

const feedback = (n: number, comment = `comment ${n}`) =>
  ({
    type: 'feedback.given',
    runId: `c${n % 7}.t${n}`,
    feedbackId: `f${n}`,
    rating: 'up',
    comment,
    at: n,
    seq: n,
  }) as RunEvent;

function encoderFor(maxBatchRows: number) {
  const batches: EncodedBatch[] = [];
  const errors: unknown[] = [];
  const encoder = createBatchEncoder({
    table: 'run_events',
    maxBatchRows,
    flushIntervalMs: 60_000,
    sliceMs: 4,
    onBatch: (batch) => batches.push(batch),
    onError: (error) => errors.push(error),
  });
  return { encoder, batches, errors };
}

const text = (batch: EncodedBatch) => Buffer.concat(bodyChunks(batch)).toString('utf8');
const expected = (events: RunEvent[]) => events.flatMap((e) => eventRows(e).map((r) => `${tsvLine(r)}\n`)).join('');

describe('batch encoder', () => {
  it('writes a batch of several MiB into chunks, never one grown by copying, with every line whole and in order', async () => {
    const { encoder, batches, errors } = encoderFor(20_000);
    const events = Array.from({ length: 20_000 }, (_, n) => feedback(n, 'x'.repeat(n % 300)));
    for (const event of events) encoder.push(event);
    await encoder.encoded();
    expect(errors).toEqual([]);
    expect(batches).toHaveLength(1);
    const [batch] = batches as [EncodedBatch];
    expect(batch.rows).toBe(20_000);
    expect(bodyChunks(batch).length).toBeGreaterThan(2);
    for (const chunk of bodyChunks(batch)) expect(chunk.length).toBeLessThanOrEqual(1 << 20);
    expect(bodyBytes(batch)).toBe(Buffer.byteLength(expected(events)));
    expect(text(batch)).toBe(expected(events));
  });

  it('keeps a row larger than a chunk whole', async () => {
    const { encoder, batches } = encoderFor(3);
    const events = [feedback(1), feedback(2, 'é'.repeat(700_000)), feedback(3)];
    for (const event of events) encoder.push(event);
    await encoder.encoded();
    expect(batches).toHaveLength(1);
    expect(text(batches[0] as EncodedBatch)).toBe(expected(events));
  });

  it('fills released chunks again instead of fresh memory, and a batch still reads right after reuse', async () => {
    const { encoder, batches } = encoderFor(10_000);
    const first = Array.from({ length: 10_000 }, (_, n) => feedback(n, 'y'.repeat(200)));
    for (const event of first) encoder.push(event);
    await encoder.encoded();
    const used = new Set(bodyChunks(batches[0] as EncodedBatch).map((c) => c.buffer));
    encoder.release(batches[0]?.backing);
    const second = Array.from({ length: 10_000 }, (_, n) => feedback(n + 10_000, 'z'.repeat(100)));
    for (const event of second) encoder.push(event);
    await encoder.encoded();
    const again = bodyChunks(batches[1] as EncodedBatch).map((c) => c.buffer);
    expect(again.some((buffer) => used.has(buffer))).toBe(true);
    expect(text(batches[1] as EncodedBatch)).toBe(expected(second));
  });

  it('seals a small batch on demand without holding back its rows', async () => {
    const { encoder, batches } = encoderFor(50_000);
    encoder.push(feedback(1));
    await encoder.encoded();
    expect(batches).toHaveLength(0);
    encoder.seal();
    expect(batches.map((b) => b.rows)).toEqual([1]);
    expect(text(batches[0] as EncodedBatch)).toBe(expected([feedback(1)]));
  });
});
