import { describe, expect, it } from 'vitest';
import { isStopWord, stem, tokenize, tokenizeSequence } from './tokenize';

describe('tokenize', () => {
  it('lower-cases, splits on punctuation and drops stop words', () => {
    expect(tokenize('Why does THE login-page crash?')).toEqual(['login', 'page', 'crash']);
  });

  it('keeps language names with symbols whole', () => {
    expect(tokenize('Port it from C++ to C#')).toEqual(['port', 'c++', 'c#']);
  });

  it('folds apostrophes so contractions stay one word', () => {
    expect(tokenizeSequence("can't")[0]?.word).toBe('cant');
  });

  it('follows a camel-case word with its parts, so error class names say "error"', () => {
    expect(tokenize('KeyError')).toEqual(['keyerror', 'key', 'error']);
  });

  it('marks the parts after a camel-case word, so phrases can read past them', () => {
    expect(tokenizeSequence('GitHub Actions').map((t) => [t.word, t.part ?? false])).toEqual([
      ['github', false],
      ['git', true],
      ['hub', true],
      ['actions', false],
    ]);
  });

  it('follows a web address with the word "url"', () => {
    expect(tokenize('open https://example.com/pricing')).toContain('url');
    expect(tokenize('visit example.org today')).toContain('url');
    expect(tokenize('built with Node.js')).not.toContain('url');
  });

  it('marks stop words in the full sequence instead of dropping them', () => {
    expect(tokenizeSequence('should we use it').map((t) => t.stop)).toEqual([true, true, false, true]);
  });
});

describe('stem', () => {
  it.each([
    [['test', 'tests', 'testing', 'tested', 'tester'], 'test'],
    [['deploy', 'deploys', 'deployment', 'deploying', 'deployed', 'deployer'], 'deploy'],
    [['document', 'documents', 'documentation', 'documenting'], 'docu'],
    [['optimise', 'optimize', 'optimization', 'optimising', 'optimized'], 'optim'],
    [['profile', 'profiling', 'profiler', 'profiled'], 'profil'],
    [['slow', 'slowly', 'slower', 'slowness'], 'slow'],
    [['crash', 'crashes', 'crashing', 'crashed'], 'crash'],
    [['debug', 'debugging', 'debugger'], 'debug'],
    [['query', 'queries'], 'query'],
    [['vulnerable', 'vulnerability', 'vulnerabilities'], 'vuln'],
  ])('brings %j to one stem', (words, expected) => {
    expect(new Set(words.map(stem))).toEqual(new Set([expected]));
  });

  it('leaves short words and words with digits alone', () => {
    expect(['api', 'k8s', 'p99', 'n+1', 'oom'].map(stem)).toEqual(['api', 'k8s', 'p99', 'n+1', 'oom']);
  });

  it('does not cut words down to a different word (comment is not com, add is not ad)', () => {
    expect(stem('comment')).toBe('comment');
    expect(stem('added')).toBe('add');
    expect(stem('speed')).toBe(stem('speeding'));
    expect(stem('core')).not.toBe(stem('cors'));
  });

  it('keeps words ending in -ss, -us and -is whole', () => {
    expect(['process', 'status', 'redis'].map(stem)).toEqual(['process', 'status', 'redis']);
  });
});

describe('isStopWord', () => {
  it('knows function words but not topic words', () => {
    expect(isStopWord('the')).toBe(true);
    expect(isStopWord('deploy')).toBe(false);
  });
});
