'use client';

import { createContext, use, useMemo } from 'react';
import type { GraphQLRequestError } from '@/lib/graphql/client';
import { type AgentSummary, AgentsQuery } from '@/lib/graphql/operations';
import { useQuery } from '@/lib/graphql/use-query';

interface AgentsValue {
  agents: AgentSummary[];
  loading: boolean;
  error: GraphQLRequestError | undefined;
  /** The agent's display name, or its id while the list loads. */
  nameOf(id: string): string;
}

const AgentsContext = createContext<AgentsValue>({ agents: [], loading: true, error: undefined, nameOf: (id) => id });

/** Loads the agents once for everything below it (the picker, answer cards, statuses). */
export function AgentsProvider({ children }: { children: React.ReactNode }) {
  const { data, loading, error } = useQuery(AgentsQuery, {});
  const value = useMemo<AgentsValue>(() => {
    const agents = data?.agents ?? [];
    const names = new Map(agents.map((a) => [a.id, a.name]));
    return { agents, loading, error, nameOf: (id) => names.get(id) ?? id };
  }, [data, loading, error]);
  return <AgentsContext value={value}>{children}</AgentsContext>;
}

export const useAgents = (): AgentsValue => use(AgentsContext);
