import { describe, expect, it } from 'vitest';
import { splitClauses } from './split-clauses';

describe('splitClauses', () => {
  it('keeps a simple task as one clause', () => {
    expect(splitClauses('Write unit tests for the date parser')).toEqual(['Write unit tests for the date parser']);
  });

  it('splits before an action verb after a comma or "and"', () => {
    expect(splitClauses('Implement the importer, test it and deploy it to staging')).toEqual([
      'Implement the importer',
      'test it',
      'deploy it to staging',
    ]);
  });

  it('always splits on "then", semicolons and sentence ends, dropping the connective', () => {
    expect(splitClauses('Scrape the prices; then write the parser. Document it')).toEqual([
      'Scrape the prices',
      'write the parser',
      'Document it',
    ]);
    expect(splitClauses('Profile the report and then benchmark it')).toEqual(['Profile the report', 'benchmark it']);
  });

  it('does not split lists of nouns or a verb pair like "find and fix"', () => {
    expect(splitClauses('Choose between Kafka, RabbitMQ and NATS')).toHaveLength(1);
    expect(splitClauses('Find and fix the XSS hole in the form')).toHaveLength(1);
  });

  it('keeps a leading "After" that belongs to the sentence (regression: it was dropped as filler)', () => {
    expect(splitClauses('After the upgrade the modal closes')).toEqual(['After the upgrade the modal closes']);
  });

  it('returns the task itself when it has no content words', () => {
    expect(splitClauses('   ')).toEqual(['']);
  });
});
