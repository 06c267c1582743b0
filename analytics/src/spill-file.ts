import { mkdir, open, readFile, readdir, rename, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { type Batch, bodyBytes, bodyChunks } from './batch-insert';

export interface SpillFileOptions {
  /** The folder of spill segments; created when missing. */
  dir: string;
  /** A segment takes no more appends once it is this large. @default 64 MiB */
  maxSegmentBytes?: number;
}

/**
 * Batches that could not be inserted, kept on disk in append-only segments and read back oldest
 * first. A segment is JSONL: per batch, a line `{"token","rows","bytes","format","columns"}` and then
 * the batch's own lines, as they are (no second escaping). A head without `format` (files written
 * before batches were TabSeparated) is a JSONEachRow batch, and is replayed as one. A segment is deleted, or rewritten without
 * its replayed head, only after those batches were inserted; a crash in between replays them
 * again, which their deduplication tokens make harmless. Operations run one at a time, in order.
 */
export interface SpillFile {
  /** Counts what earlier runs left, cuts off a batch torn by a crash, removes stray temporary files. */
  open(): Promise<void>;
  /** Appends a batch durably (fsync) to the newest segment. */
  append(batch: Batch): Promise<void>;
  /** The oldest batch not yet dropped, or undefined when nothing is spilled. */
  peek(): Promise<Batch | undefined>;
  /** Forgets the batch `peek()` returned: call it once that batch was inserted. */
  drop(): Promise<void>;
  /** Rewrites the segment being replayed without the batches already dropped (replay stopped half-way). */
  checkpoint(): Promise<void>;
  /** Keeps a batch ClickHouse refused as malformed in `rejected/<token>.jsonl`, for a person to look at. */
  reject(batch: Batch): Promise<void>;
  /** Batches and rows waiting to be replayed. */
  pending(): { batches: number; rows: number };
}

const SEGMENT = /^run-events-(\d{8})\.jsonl$/;
const segmentName = (seq: number) => `run-events-${String(seq).padStart(8, '0')}.jsonl`;
const NEWLINE = 10;

interface Segment {
  seq: number;
  bytes: number;
  batches: number;
  rows: number;
}

const encodeBatch = (batch: Batch): Buffer[] => {
  const { token, rows, format, columns } = batch;
  return [
    Buffer.from(`${JSON.stringify({ token, rows, bytes: bodyBytes(batch), format, columns })}\n`),
    ...bodyChunks(batch),
  ];
};

/** The whole batches of a segment; anything after the last whole one was torn by a crash. */
function parseSegment(data: Buffer): { batches: Batch[]; goodBytes: number } {
  const batches: Batch[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf(NEWLINE, at);
    if (end === -1) break;
    let head: { token?: unknown; rows?: unknown; bytes?: unknown; format?: unknown; columns?: unknown };
    try {
      head = JSON.parse(data.toString('utf8', at, end));
    } catch {
      break;
    }
    const { token, rows, bytes, format = 'JSONEachRow', columns } = head;
    if (typeof token !== 'string' || typeof rows !== 'number' || typeof bytes !== 'number') break;
    if (format !== 'JSONEachRow' && format !== 'TabSeparated') break;
    if (columns !== undefined && !(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) break;
    if (end + 1 + bytes > data.length) break;
    const body = data.subarray(end + 1, end + 1 + bytes);
    batches.push(columns ? { token, rows, body, format, columns } : { token, rows, body, format });
    at = end + 1 + bytes;
  }
  return { batches, goodBytes: at };
}

export function createSpillFile(options: SpillFileOptions): SpillFile {
  const { dir } = options;
  const maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
  const segments: Segment[] = [];
  /** The oldest segment's batches while it is replayed, and how many of them were dropped. */
  let reading: { segment: Segment; batches: Batch[]; dropped: number } | undefined;
  let lane: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = lane.then(op);
    lane = next.catch(() => undefined);
    return next;
  };
  const path = (segment: Segment) => join(dir, segmentName(segment.seq));

  async function writeAtomically(target: string, chunks: Buffer[]): Promise<void> {
    const tmp = `${target}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writev(chunks);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  }

  return {
    open: () =>
      serial(async () => {
        await mkdir(dir, { recursive: true });
        segments.length = 0;
        reading = undefined;
        for (const name of (await readdir(dir)).sort()) {
          if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
          const match = SEGMENT.exec(name);
          if (!match) continue;
          const segment: Segment = { seq: Number(match[1]), bytes: 0, batches: 0, rows: 0 };
          const data = await readFile(path(segment));
          const { batches, goodBytes } = parseSegment(data);
          if (goodBytes < data.length) await truncate(path(segment), goodBytes);
          segment.bytes = goodBytes;
          segment.batches = batches.length;
          segment.rows = batches.reduce((sum, b) => sum + b.rows, 0);
          segments.push(segment);
        }
      }),

    append: (batch) =>
      serial(async () => {
        let last = segments.at(-1);
        if (!last || last === reading?.segment || last.bytes >= maxSegmentBytes) {
          last = { seq: (last?.seq ?? 0) + 1, bytes: 0, batches: 0, rows: 0 };
          segments.push(last);
        }
        const chunks = encodeBatch(batch);
        const handle = await open(path(last), 'a');
        try {
          await handle.writev(chunks);
          await handle.datasync();
        } catch (error) {
          // A half-written batch would hide the ones appended after it: cut it off.
          await truncate(path(last), last.bytes).catch(() => undefined);
          throw error;
        } finally {
          await handle.close();
        }
        last.bytes += chunks.reduce((sum, c) => sum + c.length, 0);
        last.batches += 1;
        last.rows += batch.rows;
      }),

    peek: () =>
      serial(async () => {
        while (!reading || reading.dropped >= reading.batches.length) {
          const segment = segments[0];
          if (!segment) return undefined;
          const { batches } = parseSegment(await readFile(path(segment)));
          if (batches.length > 0) {
            reading = { segment, batches, dropped: 0 };
            break;
          }
          segments.shift();
          await rm(path(segment), { force: true });
        }
        return reading.batches[reading.dropped];
      }),

    drop: () =>
      serial(async () => {
        if (!reading) return;
        const batch = reading.batches[reading.dropped++];
        reading.segment.batches -= 1;
        reading.segment.rows -= batch?.rows ?? 0;
        if (reading.dropped < reading.batches.length) return;
        await rm(path(reading.segment), { force: true });
        segments.splice(segments.indexOf(reading.segment), 1);
        reading = undefined;
      }),

    checkpoint: () =>
      serial(async () => {
        if (!reading || reading.dropped === 0) return;
        const rest = reading.batches.slice(reading.dropped);
        const chunks = rest.flatMap(encodeBatch);
        await writeAtomically(path(reading.segment), chunks);
        reading.segment.bytes = chunks.reduce((sum, c) => sum + c.length, 0);
        reading = { segment: reading.segment, batches: rest, dropped: 0 };
      }),

    reject: (batch) =>
      serial(async () => {
        await mkdir(join(dir, 'rejected'), { recursive: true });
        await writeAtomically(join(dir, 'rejected', `${batch.token}.jsonl`), encodeBatch(batch));
      }),

    pending: () => ({
      batches: segments.reduce((sum, s) => sum + s.batches, 0),
      rows: segments.reduce((sum, s) => sum + s.rows, 0),
    }),
  };
}
