import type { Stance } from '../domain/conflict';

/**
 * The prompt one participant sees in a discussion round: the question, its own last stance, and the
 * others' positions and reasons, anonymised so that no agent defers to a name.
 */
export function discussionPrompt(question: string, own: Stance, others: readonly Stance[], round: number): string {
  const lines = [
    `Discussion round ${round}.`,
    `Question: ${question}`,
    `Your previous position: ${own.position} (confidence ${own.confidence.toFixed(2)})`,
    `Your previous reasoning: ${oneLine(own.rationale)}`,
    'Other participants:',
    ...others.map(
      (s, i) =>
        `- Participant ${String.fromCharCode(65 + i)}: position "${s.position}" (confidence ${s.confidence.toFixed(2)}): ${oneLine(s.rationale)}`,
    ),
    'Weigh their arguments honestly. Keep your position if you still think it is right; change it if they convinced you.',
    'Answer in the same JSON format, with your (possibly revised) position, confidence and rationale.',
  ];
  return lines.join('\n');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').slice(0, 600);
