import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Finds root causes of bugs from symptoms. */
export const debuggerAgent: AgentProfileInput = {
  id: 'debugger',
  name: 'Debugger',
  description:
    'Finds the root cause of bugs, crashes, exceptions and wrong behaviour from symptoms, error ' +
    'messages, stack traces and logs, and proposes the smallest fix that addresses the cause.',
  capabilities: [
    {
      name: 'diagnosis',
      weight: 1,
      keywords: keywords(
        'bug, bugs, buggy, debug, debugging, crash, crashes, crashing, crashed, exception, stack trace',
        'stacktrace, traceback, backtrace, throws, thrown, error message, error, errors, typeerror',
        'referenceerror, syntaxerror, nullpointerexception, null pointer, undefined, is not a function',
        'cannot read properties, nan, segfault, segmentation fault, core dump, panic, abort, sigsegv',
        'out of memory, heap out of memory, oom, exit code, exits, hangs, hang, freezes, frozen',
        'deadlock, race condition, infinite loop, stuck, broken, breaks, wrong, incorrect, unexpected',
        'unexpectedly, strange, weird, regression, root cause, diagnose, investigate, troubleshoot',
        'why, figure out, track down, doesnt work, not working, stopped working, fails, failing, failure',
        'fails with, intermittent, intermittently, randomly, silently, unhandled, unhandled rejection',
        'off by one, off-by-one, rounding, timezone, encoding, mojibake, corrupt, corrupted, mismatch',
        'inconsistent, internal server error, status code, reproduce, repro, bisect, breakpoint, gdb',
        'lldb, core file, glitch, misbehaves, disconnects, console error, devtools, does nothing',
        'nothing happens, no effect, blank page, white screen, exceeded, maximum call stack',
        'stack overflow error, not found, cannot find, cant find, cant resolve, could not resolve',
        'unable to, what is wrong, whats wrong, goes wrong, is wrong, malfunction, overlaps, overlapping',
        'misaligned, cut off',
      ),
    },
    {
      name: 'symptoms-and-fixes',
      weight: 0.7,
      keywords: keywords(
        'fix, fixes, fixing, patch, hotfix, issue, problem, symptom, workaround, sometimes, suddenly',
        'after upgrading, since the upgrade, since the last deploy, after the last, used to work',
        'works locally, console, log, logs, warning, 500, 404, killed, recursion, returns null',
        'twice, duplicate, duplicated, missing, disappears, disappeared, lost, skipped, skips',
        'instead of, returns the same, wrong result, empty result, flickers, behaves, behaviour',
        'raises, raised, resets, keeps resetting, doesnt persist, not saved, after refresh, after reload',
        'connection reset, econnreset, bad gateway, 502, 503, cannot, uncaught, garbled, gibberish',
        'weird characters, since yesterday, since this morning, no idea, empty, shows an empty',
        'econnrefused, connection refused, refused, flashes, closes immediately, after the upgrade',
      ),
    },
  ],
  systemPrompt: [
    'You are the debugger of a team of specialist agents. Work from evidence: restate the symptom,',
    'list the plausible causes ranked by likelihood, and name the observation that would tell them',
    'apart (a log line, a breakpoint, a minimal reproduction). Then give the most likely root cause',
    'and the smallest fix that addresses it, not the symptom, plus a test that would have caught it.',
    'If the evidence is not enough to be sure, say what to collect next and set flag "needs-review".',
    answerContract('naming the cause, e.g. "null user after logout"'),
  ].join('\n'),
  modelPreference: { tier: 'reasoning', models: [], locality: 'local-first' },
  costClass: 0.4,
};
