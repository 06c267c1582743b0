/** One word of a text: its lower-case surface form, its stem, and whether it is a stop word. */
export interface Token {
  word: string;
  stem: string;
  stop: boolean;
  /** A part of the camel-case word before it (`hub` after `github`): phrases read past it. */
  part?: boolean;
}

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else so to of in on at by for with from into onto over under ' +
    'about as is are was were be been being am do does did doing done have has had having it its itself ' +
    'this that these those there here i me my mine we us our ours you your yours he him his she her they ' +
    'them their what which who whom whose when where how why can could would should will shall may might ' +
    'must please just also very really all any some each every no not only own same such than too more ' +
    'most other others few both let lets get gets got make makes need needs want wants like one ' +
    'im ive youre dont doesnt isnt arent wont cant thats whats hey hi thanks thank'
  ).split(' '),
);

/** British spellings folded to American ones so `optimise` and `optimize` meet. */
const BRITISH: ReadonlyArray<readonly [RegExp, string]> = [
  [/isation(s?)$/, 'ization$1'],
  [/is(e|es|ed|er|ers|ing)$/, 'iz$1'],
  [/yse(s|d)?$/, 'yze$1'],
  [/our$/, 'or'],
];

/** Derivational and inflectional endings, longest first; the stem left must keep three letters. */
const SUFFIXES: readonly string[] = (
  'izations ization ations ation ability ements ement ments ment nesses ness izing izers izer ized ' +
  'izes ize ings ing ers er edly ed ity able ly'
).split(' ');

const KEEP_S = /(ss|us|is|os)$/;
const DOUBLE = /([bcdgkmnprt])\1$/;

/** Strips one ending; `ment` needs a longer stem so `comment` stays whole, `-eed` words keep theirs. */
function stripSuffix(w: string): string {
  for (const suffix of SUFFIXES) {
    if (!w.endsWith(suffix)) continue;
    const minStem = suffix.startsWith('ment') || suffix === 'ly' ? 4 : 3;
    if (w.length - suffix.length < minStem) return w;
    if (suffix.startsWith('ed') && w.endsWith(`e${suffix}`)) return w;
    const rest = w.slice(0, -suffix.length);
    return DOUBLE.test(rest) && rest.length > 3 ? rest.slice(0, -1) : rest;
  }
  return w;
}

/** Light, dependency-free stemmer: enough to make `tests`, `testing` and `tested` one term. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3 || /\d/.test(w)) return w;
  for (const [from, to] of BRITISH) {
    if (from.test(w) && w.length > 6) {
      w = w.replace(from, to);
      break;
    }
  }
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !KEEP_S.test(w)) w = w.slice(0, -1);
  // Two passes reach the same stem from `documentation`, `documenting` and `document`.
  w = stripSuffix(stripSuffix(w));
  // Four-letter words keep their `e`, so `core` and `cors` stay apart.
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Whether a lower-case word carries no topic of its own (articles, pronouns, auxiliaries...). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Web addresses and domains; each is followed by the word `url` so profiles can match it. */
const WEB_ADDRESS = /\bhttps?:\/\/\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu)\b/gi;

const token = (word: string): Token => ({ word, stem: stem(word), stop: isStopWord(word) });

/**
 * Every word of a text, in order, stop words included and marked: for phrases and clause splits.
 * A camel-case word is followed by its parts, so `KeyError` also says `error`; a web address by
 * the word `url`.
 */
export function tokenizeSequence(text: string): Token[] {
  const tokens: Token[] = [];
  const marked = text.replace(WEB_ADDRESS, '$& url').replace(/['’`]/g, '');
  for (const raw of marked.split(/[^\p{L}\p{N}+#]+/u)) {
    if (raw.length === 0) continue;
    tokens.push(token(raw.toLowerCase()));
    const parts = raw.split(/(?<=\p{Ll})(?=\p{Lu})/u);
    if (parts.length > 1) for (const part of parts) tokens.push({ ...token(part.toLowerCase()), part: true });
  }
  return tokens;
}

/** Content stems of a text: lower-cased, split on non-letters, stop words dropped, stemmed. */
export function tokenize(text: string): string[] {
  return tokenizeSequence(text)
    .filter((t) => !t.stop)
    .map((t) => t.stem);
}
