import { describe, expect, it } from 'vitest';
import { stripThinkBlock } from './ollama-provider';

describe('stripThinkBlock', () => {
  it('drops a leading think block and the blank lines after it', () => {
    expect(stripThinkBlock('  <think>\nplan\n</think>\n\n{"a":1}')).toBe('{"a":1}');
  });

  it('drops reasoning whose opening tag the chat template wrote', () => {
    expect(stripThinkBlock('plan first\n</think>\n{"a":1}')).toBe('{"a":1}');
  });

  it('leaves text without a think block, or with one that is not leading, as it is', () => {
    expect(stripThinkBlock('{"a":1}')).toBe('{"a":1}');
    expect(stripThinkBlock('say <think>x</think> here')).toBe('say <think>x</think> here');
    expect(stripThinkBlock('<think>cut off')).toBe('<think>cut off');
  });
});
