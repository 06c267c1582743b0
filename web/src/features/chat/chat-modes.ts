import type { ChatMode } from '@/lib/graphql/schema-types';

/** The three chat modes as the schema spells them, with how the UI names and explains them. */
export const chatModes: readonly { mode: ChatMode; label: string; hint: string }[] = [
  { mode: 'SINGLE', label: 'Single', hint: 'One agent answers.' },
  { mode: 'MULTI', label: 'Multi-agent', hint: 'Several agents answer side by side; disagreements are discussed.' },
  { mode: 'WORKFLOW', label: 'Workflow', hint: 'The message is planned into steps that agents run.' },
];

/** The workflow machine's states, as a person reads them. */
export function describeState(state: string): string {
  switch (state) {
    case 'planning':
      return 'Planning';
    case 'predicting':
      return 'Estimating';
    case 'assigning':
      return 'Assigning agents';
    case 'executing':
      return 'Agents at work';
    case 'reconciling':
      return 'Comparing answers';
    case 'discussing':
      return 'Agents discussing';
    case 'awaitingHuman':
      return 'Waiting for your decision';
    case 'completed':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Stopped';
    default:
      return state;
  }
}
