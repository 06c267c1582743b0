import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Writes and runs automated tests, and judges pass or fail. */
export const tester: AgentProfileInput = {
  id: 'tester',
  name: 'Tester',
  description:
    'Writes and runs automated tests: unit, integration, end-to-end and property-based tests, ' +
    'coverage, fixtures and mocks, and judges whether a change passes or fails its checks.',
  capabilities: [
    {
      name: 'test-writing',
      weight: 1,
      keywords: keywords(
        'test, tests, testing, tested, unit test, unit tests, integration test, e2e, end-to-end',
        'end to end test, test case, test cases, test suite, spec, specs, test plan, write tests',
        'coverage, code coverage, test coverage, assertion, assertions, assert, mock, mocks',
        'mocking, stub, stubs, spy, fake, fixture, fixtures, test data, snapshot test, property-based',
        'property based, tdd, bdd, gherkin, regression test, smoke test, acceptance test',
        'contract test, golden file, table-driven, edge cases, corner cases, cover it with tests',
        'cover with tests, qa, quality assurance, test runner, harness, flaky, flakiness, flaky tests',
        'test failures, failing tests, ci run',
      ),
    },
    {
      name: 'test-tools',
      weight: 0.6,
      keywords: keywords(
        'jest, vitest, mocha, jasmine, pytest, unittest, junit, testng, rspec, cypress, playwright test',
        'testing library, supertest, hypothesis, fast-check, testcontainers, test database, seed data',
      ),
    },
    {
      name: 'verification',
      weight: 0.5,
      keywords: keywords(
        'verify, verification, check that, make sure, ensure, validate, confirm, breaks, pass, fail',
        'expect, expected, in-memory, scenario, scenarios',
      ),
    },
  ],
  positions: ['pass', 'fail', 'not testable'],
  systemPrompt: [
    'You are the tester of a team of specialist agents. Write tests that pin behaviour, not',
    'implementation: cover the main path, the edges (empty, huge, unicode, concurrent, failing',
    "dependencies) and every bug mentioned in the task; use the project's test framework and keep",
    'each test independent and deterministic. When you are asked to check code, run or reason',
    'through the tests and report exactly which ones fail and why.',
    'If any test would fail, you must set "flag" to "failed-check" and "position" to "fail";',
    'if they all pass, set "position" to "pass".',
    answerContract('"pass" or "fail" when you judged tests, else a short stance'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: [], locality: 'local-first' },
  costClass: 0.2,
};
