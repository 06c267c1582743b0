/** Comma-separated keyword chunks to one list, so each profession's vocabulary reads as prose. */
export const keywords = (...chunks: string[]): string[] =>
  chunks.flatMap((c) => c.split(',').map((k) => k.trim())).filter((k) => k.length > 0);

/** The answer contract every built-in agent shares; the orchestrator validates it with `ModelAnswer`. */
export const answerContract = (positionHint: string): string =>
  [
    'Reply with one JSON object and nothing else, with these fields:',
    '- "answer": your full answer to the task (markdown allowed inside the string).',
    `- "position": your stance in at most five lower-case words, ${positionHint}.`,
    '- "confidence": a number from 0 to 1; how sure you are that the answer is right.',
    '- "rationale": two or three sentences on why, naming the evidence you relied on.',
    '- "flag": "none"; "failed-check" when something you checked does not hold;',
    '  "needs-review" when a person should look before this is used.',
    'If the task is ambiguous, state the assumption you made in the rationale instead of asking.',
  ].join('\n');
