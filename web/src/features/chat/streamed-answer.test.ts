import { describe, expect, it } from 'vitest';
import { streamedAnswer } from './streamed-answer';

const reply = JSON.stringify({
  confidence: 0.88,
  flag: 'none',
  answer: '[offline model] Line one\nsays "hi" \\ done',
  position: 'implemented',
  rationale: 'The "answer": trap',
});

describe('streamedAnswer', () => {
  it('shows nothing until the answer field starts', () => {
    expect(streamedAnswer('{"confidence":0.88,"fla').text).toBe('');
    expect(streamedAnswer('{"confidence":0.88,"flag":"none","answ').text).toBe('');
  });

  it('decodes the answer as far as it has arrived', () => {
    const at = reply.indexOf('Line one') + 'Line one'.length;
    expect(streamedAnswer(reply.slice(0, at)).text).toBe('[offline model] Line one');
  });

  it('grows with every delta and ends with the whole answer', () => {
    const seen: string[] = [];
    for (let end = 0; end <= reply.length; end += 24) seen.push(streamedAnswer(reply.slice(0, end)).text);
    seen.push(streamedAnswer(reply).text);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.startsWith(seen[i - 1] as string)).toBe(true);
    expect(seen.at(-1)).toBe('[offline model] Line one\nsays "hi" \\ done');
  });

  it('waits for a split escape sequence to complete', () => {
    expect(streamedAnswer('{"answer":"a\\').text).toBe('a');
    expect(streamedAnswer('{"answer":"a\\u00').text).toBe('a');
    expect(streamedAnswer('{"answer":"a\\u00e9').text).toBe('aé');
  });

  it('ignores an "answer" key nested below the top level or inside another value', () => {
    expect(streamedAnswer('{"meta":{"answer":"no"},"answer":"yes"}').text).toBe('yes');
    expect(streamedAnswer('{"rationale":"the \\"answer\\": no","answer":"yes"').text).toBe('yes');
  });

  it('streams plain text as it is', () => {
    expect(streamedAnswer('Just text so far').text).toBe('Just text so far');
  });

  it('hides a reasoning preamble and says it is thinking', () => {
    expect(streamedAnswer('<think>hmm')).toEqual({ text: '', thinking: true });
    expect(streamedAnswer('<think>hmm</think>\n{"answer":"ok')).toEqual({ text: 'ok', thinking: false });
  });

  it('reads JSON inside a code fence', () => {
    expect(streamedAnswer('```json\n{"answer":"fenced').text).toBe('fenced');
  });
});
