/** Outcomes of past runs, smoothed by the selector; neutral (empty) until analytics exists. */
export interface AgentHistory {
  successes: number;
  trials: number;
  /** Share of discussions where this agent's position prevailed, as trials and wins. */
  prevailed?: number;
  discussions?: number;
  /** The same outcomes per capability of the agent (steps whose work matched that capability best). */
  byCapability?: Readonly<Record<string, { successes: number; trials: number }>>;
}

export interface HistoryPort {
  /** Per agent id; agents missing from the map have no history. */
  snapshot(): Promise<ReadonlyMap<string, AgentHistory>>;
}

export const neutralHistory: HistoryPort = {
  snapshot: async () => new Map(),
};
