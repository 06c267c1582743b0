import { ACTION_VERBS } from './action-verbs';
import type { Token } from './tokenize';

/** How a clause is put: which words name its job, and whether it reports something going wrong. */
export interface ClauseForm {
  /** Positions of the words that name the job; empty when the clause gives no order. */
  head: Set<number>;
  /** A generic verb whose object names the job ("*add* a Dockerfile"): it says nothing by itself. */
  verb?: number;
  /** After a generic verb, the last word of its object: the thing made ("add a *Dockerfile*"). */
  object?: number;
  /** The clause only sets the scene for another ("if the tests pass, ..."): it is no job itself. */
  setting: boolean;
  /** The clause tells what happens ("the export produces an empty file") instead of asking for work. */
  report: boolean;
}

/**
 * More verbs that give an order when they open a clause ("mock the client ..."), but that are
 * too often nouns mid-sentence to split a task on ("upload and download").
 */
const ORDER_VERBS: ReadonlySet<string> = new Set(
  (
    'go grab extract turn port mock stub sketch define pick enable disable increase cache navigate ' +
    'submit sign follow see pull tag bump pin split merge move rename replace translate allow block ' +
    'prevent stop restart handle support parse store save fetch call hook batch paginate memoize ' +
    'enforce revoke encrypt hash limit throttle upload download export import sync seed structure ' +
    'organize organise'
  ).split(' '),
);
/** Verbs any agent could be asked to do; the thing they make ("add *a test*") names the job. */
const GENERIC_VERBS: ReadonlySet<string> = new Set(
  'add write create generate build produce prepare draft set put give do'.split(' '),
);
/** Words that end the object of a verb: what follows is the target or a new thought. */
const OBJECT_END: ReadonlySet<string> = new Set(
  'to for in of on from with into at about by that which who where when so and or but then as using via'.split(' '),
);
/** A noun phrase opens with these, so the first word after them is a subject, never an order. */
const DETERMINERS: ReadonlySet<string> = new Set('the a an our my this that these those their his her its'.split(' '));
/** A clause opening with these sets a scene ("when I click Save ..."); its verb is not the job. */
const SUBORDINATORS: ReadonlySet<string> = new Set(
  'when whenever if after since once while because although though until'.split(' '),
);
/** Verbs among the stop words: a determiner after one ("get *the* logs") opens its object. */
const VERB_STOPS: ReadonlySet<string> = new Set(
  'do does did get gets got make makes let lets need needs want wants like have has'.split(' '),
);
/** A clause opening with a gerund names what someone did ("*clicking* Next sends you back ..."). */
const GERUND = /^[a-z]{3,}ing$/;
/** Verbs among the stop words that open an order ("*make* sure ...", "*get* the logs"). */
const ORDER_STOPS: ReadonlySet<string> = new Set('make get let'.split(' '));
/** Lead-ins before the real verb: "what's the *best way* to cache ...", "*help* me debug ...". */
const LEAD_INS: ReadonlySet<string> = new Set(
  'best right correct proper cleanest simplest easiest recommended idiomatic good way help ok okay'.split(' '),
);

/**
 * The ways people tell a bug as a story, without the word "bug": what no longer works, what comes
 * out instead of what should, when it happens, and since when.
 */
const REPORT_CUES: readonly RegExp[] = [
  /\b(?:doesn'?t|don'?t|didn'?t|won'?t|can'?t|cannot|couldn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|never|no longer)\b(?! (?:have|has|need|yet)\b)/,
  /\b(?:stops|stopped|anymore|any more|instead of|used to|still)\b/,
  /\bonly (?:when|on|in|if|after|for|with|under|once|sometimes)\b|\w only$/,
  /\b(?:sometimes|occasionally|intermittently|randomly|every time|each time|whenever|half the time)\b/,
  /\b(?:after|since) (?:upgrading|updating|migrating|switching|moving|deploying|the (?:upgrade|update|last|latest)|we|yesterday|last)\b/,
  /\b(?:in a loop|loops|twice|again and again|over and over|back to)\b/,
  /\bbut (?:no|nothing|none|never|not|only)\b|\b(?:nothing|no \w+) (?:happens|appears|changes|loads)\b/,
  /\b(?:get|gets|got|getting|see|sees|saw|seeing)\b/,
  /\b(?:shows|displays|gives|returns|produces|prints|outputs|jumps|skips|redirects|ends up|comes back|disappears|goes)\b/,
];

/**
 * Reads how a clause is put. An order names its job with its opening verb ("deploy ...", "profile
 * ..."), or after a generic verb with its object ("write *unit tests* for ..."). A clause that opens
 * with a subject or a condition gives no order; when it tells what goes wrong it is a bug report.
 */
export function clauseForm(tokens: readonly Token[], text: string): ClauseForm {
  let lead = tokens.findIndex((t) => !t.stop);
  while (
    LEAD_INS.has(tokens[lead]?.word ?? '') &&
    (tokens[lead + 1]?.stop || LEAD_INS.has(tokens[lead + 1]?.word ?? ''))
  ) {
    lead = tokens.findIndex((t, i) => i > lead && !t.stop && !LEAD_INS.has(t.word));
  }
  const before = tokens.slice(0, Math.max(lead, 0));
  const opener = tokens[0]?.word ?? '';
  const condition = SUBORDINATORS.has(opener);
  const scene =
    condition ||
    DETERMINERS.has(opener) ||
    (lead === 0 && GERUND.test(opener)) ||
    (DETERMINERS.has(before.at(-1)?.word ?? '') && !before.some((t) => VERB_STOPS.has(t.word)));
  const verb = tokens[lead]?.word ?? '';
  const order =
    !scene && (ACTION_VERBS.has(verb) || ORDER_VERBS.has(verb) || GENERIC_VERBS.has(verb) || ORDER_STOPS.has(opener));
  const lower = text.toLowerCase().replace(/’/g, "'");
  const report = !order && REPORT_CUES.some((cue) => cue.test(lower));
  const setting = condition && !report;
  if (lead < 0 || scene || report) return { head: new Set(), setting, report };
  if (!GENERIC_VERBS.has(verb)) return { head: new Set([lead]), setting, report };
  const head = new Set<number>();
  let object: number | undefined;
  for (let i = lead + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (OBJECT_END.has(token.word)) break;
    if (token.stop || token.word === 'up') continue;
    head.add(i);
    object = i;
  }
  return head.size > 0 ? { head, verb: lead, object, setting, report } : { head: new Set([lead]), setting, report };
}
