import { describe, expect, it } from 'vitest';
import { clauseForm } from './clause-form';
import { tokenizeSequence } from './tokenize';

const form = (text: string) => {
  const tokens = tokenizeSequence(text);
  const read = clauseForm(tokens, text);
  return { ...read, headWords: [...read.head].map((i) => tokens[i]?.word) };
};

describe('clauseForm', () => {
  it('takes the opening verb of an order as its job', () => {
    expect(form('Scrape the public API docs for the rate limits')).toMatchObject({
      headWords: ['scrape'],
      report: false,
    });
  });

  it('takes the object of a generic verb as the job, ending it at the last word made', () => {
    const read = form('Write a Dockerfile for the worker');
    expect(read.headWords).toEqual(['dockerfile']);
    expect(read.verb).toBe(0);
    expect(read.object).toBe(2);
  });

  it('reads past lead-ins to the real verb ("what is the best way to structure ...")', () => {
    expect(form("What's the best way to structure the packages?").headWords).toEqual(['structure']);
    expect(form('Help me debug the login flow').headWords).toEqual(['debug']);
  });

  it.each([
    'The export button produces an empty file',
    'The cron job stopped sending the weekly digest emails last Tuesday',
    'Users in Australia see yesterday’s date on the dashboard',
    'Pagination skips an item — page 2 starts at item 22 instead of 21',
    'Login redirects back to the login page in a loop, Safari only',
    'When I click Save on the profile page nothing happens',
    'Dark mode toggle doesn’t persist after a refresh',
  ])('reads "%s" as a bug report with no job word up front', (text) => {
    expect(form(text)).toMatchObject({ headWords: [], report: true });
  });

  it('does not read an order or a missing thing as a bug report', () => {
    expect(form('Mock the Stripe client so the tests don’t hit the network').report).toBe(false);
    expect(form('Make sure the form doesn’t submit twice').report).toBe(false);
    expect(form('We don’t have tests for the invoice mailer').report).toBe(false);
  });

  it('marks a condition that opens a compound task as setting the scene, not as a job', () => {
    expect(form('If the tests pass')).toMatchObject({ setting: true, headWords: [] });
    expect(form('ship it').setting).toBe(false);
  });
});
