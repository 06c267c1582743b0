'use client';

import { useEffect, useRef, useState } from 'react';
import type { GraphQLRequestError } from './client';
import type { Operation } from './operations';
import { useRevoClient } from './revo-provider';

export interface SubscriptionOptions<TData> {
  skip?: boolean;
  /** Called with every item, in order (use it to feed a reducer). */
  onData?: (data: TData) => void;
}

/**
 * A live subscription: the latest item and the last error. It is sent again after a reconnect
 * (the server then starts over with a SNAPSHOT), and ends on unmount or when the variables change.
 */
export function useSubscription<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables: TVariables,
  options: SubscriptionOptions<TData> = {},
): { data: TData | undefined; error: GraphQLRequestError | undefined; done: boolean } {
  const client = useRevoClient();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: TData; error?: GraphQLRequestError; done: boolean }>({ done: false });
  const onData = useRef(options.onData);
  onData.current = options.onData;
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the variables.
  useEffect(() => {
    if (!client || options.skip) return;
    setState({ done: false });
    return client.subscribe(operation, variablesRef.current, {
      next: (data) => {
        onData.current?.(data);
        setState({ data, done: false });
      },
      error: (error) => setState((s) => ({ ...s, error })),
      complete: () => setState((s) => ({ ...s, done: true })),
    });
  }, [client, operation, key, options.skip]);

  return { data: state.data, error: state.error, done: state.done };
}
