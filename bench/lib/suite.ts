/** The shape every benchmark suite shares, so `run.ts` can print one table and one JSON line. */

export interface RunOptions {
  /** A smoke run: fewer iterations and smaller batches; numbers are indicative only. */
  quick: boolean;
  /** Progress for the person watching; goes to stderr so stdout stays table + JSON. */
  log: (line: string) => void;
}

/** One table row: a measure for both contenders, and the ratio the target is stated in. */
export interface Row {
  metric: string;
  revo?: number;
  langgraph?: number;
  ratio?: number;
  /** Target on `ratio`, e.g. `>= 3` or `<= 1.1`. */
  target?: { op: '>=' | '<='; value: number };
}

export interface SuiteResult {
  rows: Row[];
  /** Everything measured, raw, for the JSON line. */
  data: Record<string, unknown>;
}

export interface Suite {
  name: string;
  /** What the suite measures, printed under the table. */
  measures: string;
  run(options: RunOptions): Promise<SuiteResult>;
}

export const meets = (row: Row): boolean | undefined =>
  row.target && row.ratio !== undefined
    ? row.target.op === '>='
      ? row.ratio >= row.target.value
      : row.ratio <= row.target.value
    : undefined;
