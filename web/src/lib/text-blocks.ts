/**
 * The little Markdown that agents' answers use, parsed into blocks the UI renders as elements
 * (never as HTML): fenced code, paragraphs, and `inline code`. An unclosed fence (a streaming
 * answer) is code up to the end.
 */
export type TextBlock = { kind: 'code'; lang: string; text: string } | { kind: 'paragraph'; text: string };

export function toBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  let code: { lang: string; lines: string[] } | null = null;
  const flush = () => {
    const joined = paragraph.join('\n').trim();
    if (joined) blocks.push({ kind: 'paragraph', text: joined });
    paragraph = [];
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (code) {
      if (fence && !fence[1]) {
        blocks.push({ kind: 'code', lang: code.lang, text: code.lines.join('\n') });
        code = null;
      } else code.lines.push(line);
    } else if (fence) {
      flush();
      code = { lang: fence[1] ?? '', lines: [] };
    } else if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  if (code) blocks.push({ kind: 'code', lang: code.lang, text: code.lines.join('\n') });
  flush();
  return blocks;
}

export interface InlinePart {
  code: boolean;
  text: string;
}

/** Splits a paragraph at single backticks: `a \`b\` c` -> text, code, text. */
export function inlineParts(text: string): InlinePart[] {
  const parts: InlinePart[] = [];
  const pattern = /`([^`\n]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ code: false, text: text.slice(last, match.index) });
    parts.push({ code: true, text: match[1] as string });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ code: false, text: text.slice(last) });
  return parts;
}
