'use client';

import { useMachine } from '@xstate/react';
import { useRef, useState } from 'react';
import { fromPromise } from 'xstate';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { type RunInput, type SaveInput, builderMachine } from './builder.machine';
import { RunTemplateMutation, SaveWorkflowTemplateMutation } from './operations';

/** The builder machine with its effects: saving a template and running one over GraphQL. */
export function useBuilder() {
  const client = useRevoClient();
  const clientRef = useRef(client);
  clientRef.current = client;

  const [machine] = useState(() => {
    const connected = () => {
      if (!clientRef.current) throw new Error('The page is still starting; try again in a moment.');
      return clientRef.current;
    };
    const save = async (input: SaveInput) => {
      const { saveWorkflowTemplate } = await connected().request(SaveWorkflowTemplateMutation, input);
      return { id: saveWorkflowTemplate.id };
    };
    return builderMachine.provide({
      actors: {
        saveTemplate: fromPromise(({ input }: { input: SaveInput }) => save(input)),
        runTemplate: fromPromise(async ({ input }: { input: RunInput }) => {
          const templateId = input.save ? (await save(input.save)).id : input.templateId;
          if (!templateId) throw new Error('Save the template first.');
          const { runWorkflow } = await connected().request(RunTemplateMutation, { templateId });
          return { templateId, runId: runWorkflow.runId };
        }),
      },
    });
  });
  return useMachine(machine, { input: {} });
}
