import { ACTION_VERBS } from './action-verbs';
import { isStopWord } from './tokenize';

/** Always a boundary between jobs, whatever follows. */
const HARD_BREAK =
  /\s*(?:;|\n+|[.!?]\s+(?=\S)|,\s*(?:and\s+)?then\b|\band\s+then\b|\bafter\s+that\b|\bafterwards\b|,\s*(?:and\s+)?finally\b|,\s*and\s+also\b)\s*/i;

/** A boundary only when an action verb follows and the left side is more than a lone verb. */
const SOFT_BREAK = /(?:\s*,\s*(?:and\s+)?|\s+(?:and|&|then|plus)\s+)(?=([A-Za-z]+)\b)/g;

const LEADING_FILLER = /^(?:(?:and|then|also|finally|please|afterwards|next|so)\b[\s,]*)+/i;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

const contentWords = (text: string): number => words(text).filter((w) => !isStopWord(w)).length;

function splitSoft(piece: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of piece.matchAll(SOFT_BREAK)) {
    const verb = (match[1] ?? '').toLowerCase();
    const at = match.index ?? 0;
    if (!ACTION_VERBS.has(verb)) continue;
    const left = piece.slice(start, at);
    // A lone verb on the left ("find and fix ...") is one job told with two verbs.
    if (contentWords(left) === 0 || words(left).length < 2) continue;
    parts.push(left);
    start = at + match[0].length;
  }
  parts.push(piece.slice(start));
  return parts;
}

/** Splits a task into the jobs it asks for, in order; a simple task is one clause. */
export function splitClauses(task: string): string[] {
  const clauses = task
    .split(HARD_BREAK)
    .flatMap(splitSoft)
    .map((c) =>
      c
        .trim()
        .replace(LEADING_FILLER, '')
        .replace(/[\s,.:;!?]+$/, '')
        .trim(),
    )
    .filter((c) => contentWords(c) > 0);
  return clauses.length > 0 ? clauses : [task.trim()];
}
