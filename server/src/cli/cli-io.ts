/** What a command may do to the outside world; tests pass their own. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
  /** A person is at the terminal (stdin and stdout are TTYs). */
  interactive: boolean;
}
