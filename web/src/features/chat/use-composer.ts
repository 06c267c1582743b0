'use client';

import { useMachine } from '@xstate/react';
import { useEffect, useRef, useState } from 'react';
import { fromPromise } from 'xstate';
import { truncate } from '@/lib/format';
import {
  CancelWorkflowMutation,
  DecideConflictMutation,
  SendMessageMutation,
  StartConversationMutation,
} from '@/lib/graphql/operations';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { type SendInput, type SendOutput, composerMachine } from './composer.machine';
import { type FeedState, turnPhase } from './conversation-feed';

interface ComposerDeps {
  conversationId: string | null;
  feed: FeedState;
  /** A send started a conversation: open it (its feed must be subscribed before the message goes). */
  onCreated: (conversationId: string) => void;
  whenReady: (conversationId: string) => Promise<void>;
}

/**
 * The composer machine with its effects (GraphQL mutations), kept in step with the open
 * conversation and its newest turn.
 */
export function useComposer({ conversationId, feed, onCreated, whenReady }: ComposerDeps) {
  const client = useRevoClient();
  const deps = useRef({ client, onCreated, whenReady });
  deps.current = { client, onCreated, whenReady };

  const [machine] = useState(() =>
    composerMachine.provide({
      actors: {
        sendMessage: fromPromise<SendOutput, SendInput>(async ({ input }) => {
          const { client, onCreated, whenReady } = deps.current;
          if (!client) throw new Error('The page is still starting; try again in a moment.');
          let id = input.conversationId;
          if (!id) {
            const { startConversation } = await client.request(StartConversationMutation, {
              title: truncate(input.text, 60),
            });
            id = startConversation.id;
            onCreated(id);
            await whenReady(id);
          }
          const { sendMessage } = await client.request(SendMessageMutation, {
            input: {
              conversationId: id,
              text: input.text,
              mode: input.mode,
              agents: input.agents.length > 0 ? input.agents : null,
            },
          });
          return { conversationId: id, runId: sendMessage.runId };
        }),
        decideConflict: fromPromise(
          async ({ input }: { input: { runId: string; conflictId: string; position: string } }) => {
            const { client } = deps.current;
            if (!client) throw new Error('The page is still starting.');
            await client.request(DecideConflictMutation, input);
          },
        ),
        cancelRun: fromPromise(async ({ input }: { input: { runId: string } }) => {
          const { client } = deps.current;
          if (!client) throw new Error('The page is still starting.');
          await client.request(CancelWorkflowMutation, { runId: input.runId, reason: 'stopped from the chat' });
        }),
      },
    }),
  );
  const [state, send] = useMachine(machine, { input: { conversationId } });
  const stateKey = JSON.stringify(state.value);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-sent whenever the composer changes state.
  useEffect(() => {
    send({ type: 'conversation.switched', conversationId });
  }, [conversationId, stateKey, send]);

  const latest = feed.conversationId === conversationId && feed.latestRunId ? feed.turns[feed.latestRunId] : undefined;
  const phase = latest ? turnPhase(latest) : null;
  const escalated = latest?.conflicts.find((c) => c.status === 'ESCALATED')?.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-sent whenever the composer changes state.
  useEffect(() => {
    if (latest && phase) send({ type: 'turn.updated', runId: latest.runId, phase, conflictId: escalated });
  }, [latest?.runId, phase, escalated, stateKey, send]);

  return { state, send };
}
