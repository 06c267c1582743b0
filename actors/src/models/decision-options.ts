const VERB =
  '(?:use|pick|choose|go with|adopt|prefer|be|run on|move to|migrate to|switch to|stay on|keep using|rely on|deploy (?:to|on)|(?:store|keep|cache|put|persist|save|host|run|deploy|write|build|implement|model)(?: [\\w-]+){1,2} (?:in|on|with|as))';
const PATTERNS = [
  new RegExp(
    `\\b(?:should|shall|would|could|can|do)\\s+(?:[\\w-]+\\s+){0,4}?${VERB}\\s+(.+?)\\s*(?:\\?|$|\\.\\s)`,
    'i',
  ),
  /\b(?:which|what) (?:is better|should we (?:use|pick|choose))[:,]?\s*(.+?)\s*(?:\?|$)/i,
  /\bcompare\s+(.+?)\s*(?:\?|$|\.\s|\s+in terms\b)/i,
  /\bshould (?:we|i|you|they)\s+((?:(?!\band\b).)+?\sor\s.+?)\s*(?:\?|$|\.\s)/i,
  /((?:[\w.+#-]+\s){0,2}[\w.+#-]+\s+(?:vs\.?|versus)\s+[\w.+#-]+(?:\s+(?:vs\.?|versus)\s+[\w.+#-]+)*)/i,
];

/**
 * The options of a decision question ("should we use X or Y?", "X vs Y", "compare X, Y and Z"),
 * normalised to short lower-case phrases; empty when the text is not a choice between options.
 */
export function decisionOptions(text: string): string[] {
  const sentence = text.replace(/\s+/g, ' ').trim();
  for (const pattern of PATTERNS) {
    const body = pattern.exec(sentence)?.[1];
    if (!body) continue;
    const parts = body
      .split(/\s*(?:,\s*or\s+|,\s*|\s+or\s+|\s+vs\.?\s+|\s+versus\s+|\s+and\s+)\s*/i)
      .map(clean)
      .filter((p) => p.length > 0 && p.length <= 60);
    const unique = [...new Set(parts)];
    if (unique.length >= 2 && unique.length <= 6) return unique;
  }
  return [];
}

function clean(option: string): string {
  const head = option.split(/\s+(?:for|when|because|so that|to store|to keep|in production)\s+/i)[0] ?? option;
  return head
    .replace(/^(?:the|a|an|to|use|using|written in|built with|based on|on|in)\s+/i, '')
    .replace(/[?.!:;]+$/g, '')
    .trim()
    .toLowerCase();
}
