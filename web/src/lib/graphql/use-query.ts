'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { GraphQLRequestError, toRequestError } from './client';
import type { Operation } from './operations';
import { useConnectionState, useRevo } from './revo-provider';

export interface QueryState<TData> {
  data: TData | undefined;
  error: GraphQLRequestError | undefined;
  /** True until the first answer (or error) for these variables. */
  loading: boolean;
  refetch(): void;
}

export interface QueryOptions {
  /** Don't run (yet): for example while a needed id is unknown. */
  skip?: boolean;
  /** Run again when the WebSocket comes back after an outage (the server may have restarted). @default true */
  refetchOnReconnect?: boolean;
}

/**
 * Runs a query over HTTP and keeps its result; runs it again when the variables or the token
 * change, on `refetch()`, and after a reconnect. Earlier data stays visible while it reloads.
 */
export function useQuery<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables: TVariables,
  options: QueryOptions = {},
): QueryState<TData> {
  const { client, authVersion } = useRevo();
  const connection = useConnectionState();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ key: string; data?: TData; error?: GraphQLRequestError }>({ key: '' });
  const [version, setVersion] = useState(0);
  // Counted by the client, so a quick down-and-up between two renders still counts.
  const reconnects = (options.refetchOnReconnect ?? true) ? Math.max(0, connection.connects - 1) : 0;
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables; the rest are triggers.
  useEffect(() => {
    if (!client || options.skip) return;
    const controller = new AbortController();
    client.request(operation, variablesRef.current, { signal: controller.signal }).then(
      (data) => setState({ key, data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({ key, data: previous.data, error: toRequestError(error) }));
      },
    );
    return () => controller.abort();
  }, [client, operation, key, options.skip, version, authVersion, reconnects]);

  const refetch = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.key === key;
  return {
    data: current || state.data !== undefined ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !options.skip && (!current || (state.data === undefined && state.error === undefined)),
    refetch,
  };
}

export interface MutationState<TData, TVariables> {
  run(variables: TVariables): Promise<TData>;
  pending: boolean;
  error: GraphQLRequestError | undefined;
  reset(): void;
}

/** A mutation to run on demand; `run` rejects with a `GraphQLRequestError`. */
export function useMutation<TData, TVariables>(
  operation: Operation<TData, TVariables>,
): MutationState<TData, TVariables> {
  const { client } = useRevo();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<GraphQLRequestError>();
  const run = useCallback(
    async (variables: TVariables) => {
      if (!client) throw new GraphQLRequestError('The page is still starting.', 'NOT_READY');
      setPending(true);
      setError(undefined);
      try {
        return await client.request(operation, variables);
      } catch (raw) {
        const failure = toRequestError(raw);
        setError(failure);
        throw failure;
      } finally {
        setPending(false);
      }
    },
    [client, operation],
  );
  const reset = useCallback(() => setError(undefined), []);
  return { run, pending, error, reset };
}
