/**
 * What to show of a model's reply while it streams. Agents reply with JSON (`{"answer": "...",
 * "position": ..., ...}`, keys in any order), so the raw deltas are JSON text; this finds the
 * `answer` string in the partial JSON and decodes what has arrived of it. A reply that is not JSON
 * streams as it is. Reasoning models' `<think>...</think>` preamble is not part of the answer.
 */
export interface StreamedAnswer {
  text: string;
  /** True while the model is still inside its `<think>` preamble. */
  thinking: boolean;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

export function streamedAnswer(raw: string): StreamedAnswer {
  let rest = raw.trimStart();
  if (rest.startsWith(THINK_OPEN)) {
    const end = rest.indexOf(THINK_CLOSE);
    if (end < 0) return { text: '', thinking: true };
    rest = rest.slice(end + THINK_CLOSE.length).trimStart();
  }
  if (rest.startsWith('```')) rest = rest.slice(rest.indexOf('\n') + 1 || rest.length).trimStart();
  if (!rest.startsWith('{')) return { text: rest, thinking: false };
  return { text: answerField(rest), thinking: false };
}

/** The (partial) value of the top-level `"answer"` string of a (partial) JSON object. */
function answerField(json: string): string {
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < json.length) {
    const c = json[i];
    if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      depth--;
      i++;
    } else if (c === ',') {
      expectKey = depth === 1;
      i++;
    } else if (c === '"') {
      const { value, end, closed } = readString(json, i + 1);
      if (!closed) return '';
      i = end;
      if (depth === 1 && expectKey) {
        expectKey = false;
        const colon = skipSpace(json, i);
        if (json[colon] !== ':') return '';
        const start = skipSpace(json, colon + 1);
        if (value === 'answer') return json[start] === '"' ? readString(json, start + 1).value : '';
        i = colon + 1;
      }
    } else i++;
  }
  return '';
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/** Decodes a JSON string from `from` (after its opening quote) up to its closing quote or the end. */
function readString(text: string, from: number): { value: string; end: number; closed: boolean } {
  let value = '';
  let i = from;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1, closed: true };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    value += ESCAPES[next] ?? next;
    i += 2;
  }
  return { value, end: i, closed: false };
}
